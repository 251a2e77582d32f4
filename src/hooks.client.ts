/**
 * Before the router reads the address: on a tablet where nobody is signed in, the first page is
 * the sign-in screen whatever address was opened. Moving the address here (not after the first
 * navigation) means only the login route's code is downloaded, not the screen behind the
 * address (the home page alone brings the whole data layer: Dexie, the domain schemas).
 */
import type { ClientInit } from '@sveltejs/kit';
import { firstPeek, signedInHint } from '$lib/client/device-peek.ts';

export const init: ClientInit = async () => {
  // A warm start (someone signed in) does not wait for IndexedDB here.
  if (location.pathname === '/login' || signedInHint()) return;
  const device = await firstPeek();
  if (!device.signedIn && !device.legacyUnchecked) history.replaceState(history.state, '', '/login');
};
