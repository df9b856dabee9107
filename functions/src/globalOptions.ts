/**
 * Options every function shares, set before any function is defined (firebase-functions reads
 * them when it builds each function's endpoint): index.ts imports this module first.
 */
import { setGlobalOptions } from 'firebase-functions/v2';
import { functionsRegion, maxInstancesPerFunction } from './params';

setGlobalOptions({ region: functionsRegion, maxInstances: maxInstancesPerFunction });
