import { useEffect } from 'preact/hooks';

/**
 * While `busy` (a request whose answer is shown only once, such as a new key's secret, is under way, or
 * that answer is on screen and not yet dismissed), the browser asks before the tab is closed or
 * reloaded, so the answer is not thrown away unseen.
 */
export function useUnloadGuard(busy: boolean): void {
  useEffect(() => {
    if (!busy) return;
    const ask = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', ask);
    return () => window.removeEventListener('beforeunload', ask);
  }, [busy]);
}
