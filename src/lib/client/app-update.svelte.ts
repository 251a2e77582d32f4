/**
 * The service worker's side of the app: registered at the site root so that a first visit at any
 * deep link installs it, it tells the officer when the tablet can work offline, and it offers a
 * new version instead of forcing it. A waiting version is activated (and the page reloaded) only
 * after the officer accepted it and no open form has unsaved changes: a reload mid-form would
 * cost nothing thanks to drafts, but it would still throw the officer out of the interview.
 */
import { decideUpdate, type UpdateDecision } from './update-decision.ts';

export type { UpdateDecision };

export const appShell = $state<{
  /** Every app file is in the service worker's cache: the app opens with no network. */
  cached: boolean;
  /** A new version is installed and waiting for the officer's consent. */
  updateWaiting: boolean;
  /** The officer said yes; it is applied as soon as no form is dirty. */
  updateAccepted: boolean;
  /** The service worker could not be registered (private mode, an old browser). */
  failed: boolean;
}>({ cached: false, updateWaiting: false, updateAccepted: false, failed: false });

/**
 * An open form is dirty when a draft is kept for the page on screen: the forms write a draft at
 * the first change that differs from the saved record, and remove it after the save.
 */
export async function openFormIsDirty(pathname: string = location.pathname): Promise<boolean> {
  const drafts = await (await draftsTable()).toArray();
  return drafts.some((d) => new URL(d.href, location.origin).pathname === pathname);
}

/**
 * The signed-in account's drafts table, loaded only when an update waits: the sign-in screen
 * registers the service worker without downloading the data layer.
 */
async function draftsTable() {
  return (await import('./local-db.ts')).localDb.drafts;
}

let activateWaiting: ((reloadPage?: boolean) => Promise<void>) | null = null;

export async function registerServiceWorker(): Promise<void> {
  if (!('serviceWorker' in navigator)) {
    appShell.failed = true;
    return;
  }
  // Later starts: an active worker means the precache completed during its install.
  void navigator.serviceWorker.ready.then(() => (appShell.cached = true));
  const { registerSW } = await import('virtual:pwa-register');
  activateWaiting = registerSW({
    immediate: true,
    onOfflineReady: () => (appShell.cached = true),
    onNeedRefresh: () => (appShell.updateWaiting = true),
    // The reload is ours (below): the plugin reloads only when the page had a worker at load,
    // not for a version that arrived while this page was open.
    onNeedReload: () => {},
    onRegisterError: () => (appShell.failed = true)
  });
}

/** Dirty unless the drafts say otherwise: a read that fails (the account's database being reopened) never lets an update reload a form. */
async function formDirtyNow(): Promise<boolean> {
  try {
    return await openFormIsDirty();
  } catch {
    return true;
  }
}

let recheck: ReturnType<typeof setInterval> | null = null;

/**
 * Runs the decision; called when the officer accepts and after every navigation. While an
 * accepted update waits for a form, it is asked again every 2 s as well, so leaving the form
 * applies it even when the check after that navigation raced a draft write or a database reopen.
 */
export async function applyUpdateWhenSafe(): Promise<UpdateDecision> {
  if (!appShell.updateWaiting) return decideUpdate({ waiting: false, accepted: appShell.updateAccepted, formDirty: false });
  // One round trip to the drafts table first: a draft write queued by the form being left lands
  // before the check reads it (observed: without it, the check right after leaving a form
  // sometimes never applied the update).
  await (await draftsTable()).count().catch(() => 0);
  const decision = decideUpdate({
    waiting: appShell.updateWaiting,
    accepted: appShell.updateAccepted,
    formDirty: appShell.updateAccepted ? await formDirtyNow() : false
  });
  if (decision === 'wait-for-form' && recheck === null) recheck = setInterval(() => void applyUpdateWhenSafe(), 2_000);
  if (decision !== 'wait-for-form' && recheck !== null) {
    clearInterval(recheck);
    recheck = null;
  }
  if (decision === 'apply' && activateWaiting) {
    // The new worker takes control (clientsClaim) right after it activates: reload into it once.
    navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), { once: true });
    await activateWaiting(true);
  }
  return decision;
}

export async function acceptUpdate(): Promise<UpdateDecision> {
  appShell.updateAccepted = true;
  return applyUpdateWhenSafe();
}
