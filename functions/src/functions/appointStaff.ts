import { canAppoint } from '../domain/roles';
import { callable, deny } from '../lib/callable';
import { logs } from '../logs';
import { appoint } from '../services/staff';

/**
 * An administrator appoints someone to the level directly below them (a township appoints village
 * information administrators and helpers). The person signs in with the phone given here and an
 * SMS code.
 */
export const appointStaff = callable({
  name: 'appointStaff',
  roles: ['ops', 'province_admin', 'city_admin', 'county_admin', 'township_admin'],
  handler: async ({ requestId, phone, name, role, regionCode }, caller) => {
    if (!canAppoint(caller, role, regionCode)) deny('appointStaff', caller.uid);
    const result = await appoint(caller.uid, requestId, { phone, name, role, regionCode });
    logs.staffAppointed(caller.uid, result.uid, role, regionCode);
    return result;
  },
});
