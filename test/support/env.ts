// Platform tests talk to the platform started by globalSetup; firebase-admin finds it through
// the emulator host variables that globalSetup exported.
if (!process.env.FUPIN_FUNCTIONS_URL)
  throw new Error('the local platform is not running (globalSetup)');
// No metadata server here: stop google-auth from probing for one on every client.
process.env.METADATA_SERVER_DETECTION = 'none';
