// How Apps Script surfaces a failed call: advanced services throw a
// GoogleJsonResponseException ("API call to <method> failed with error: ...").

import { advancedServiceException, appsScriptException, GoogleApiError } from './google-error';
import { type SimKernel, TransportTimeout } from './kernel';
import type { Principal } from './tokens';

/** One advanced-service call (Calendar, Classroom, Drive) as the execution's effective user. */
export function advancedCall<T>(
  kernel: SimKernel,
  key: string,
  op: (principal: Principal) => T,
): T {
  try {
    return kernel.invoke(key, () => op(kernel.scriptPrincipal()));
  } catch (error) {
    if (error instanceof GoogleApiError) throw advancedServiceException(key, error);
    if (error instanceof TransportTimeout) throw appsScriptException('Empty response');
    throw error;
  }
}
