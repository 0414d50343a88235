import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { managementApi } from './api/client.js';
import { AuditScreen } from './audit/audit-screen.js';
import { beginSignIn, completeSignIn, currentSession, type Session, signOut } from './auth/session.js';
import { loadSignInConfig, type SignInConfig } from './auth/sign-in-config.js';
import { CreateKeyScreen } from './create/create-key-screen.js';
import { KeysScreen } from './keys/keys-screen.js';
import { NotificationsScreen } from './notifications/notifications-screen.js';
import { FormAlert } from './ui/field-error.js';

type Screen = 'keys' | 'create' | 'notifications' | 'audit';

const SCREENS: Record<string, Screen> = {
  '#/keys': 'keys',
  '#/create': 'create',
  '#/notifications': 'notifications',
  '#/audit': 'audit',
};

/** The nav entry each screen sits under (Create API Key belongs to API keys). */
const SECTION: Record<Screen, Screen> = {
  keys: 'keys',
  create: 'keys',
  notifications: 'notifications',
  audit: 'audit',
};

/** Each screen's document title, so history, tabs and screen readers tell them apart. */
const TITLES: Record<Screen, string> = {
  keys: 'Company API Keys',
  create: 'Create API Key',
  notifications: 'Notifications',
  audit: 'Audit log',
};

/** The screen named by the address's fragment (so Back works and a reload stays put). */
function screenFromHash(): Screen {
  return SCREENS[window.location.hash] ?? 'keys';
}

/** The console: signs in, then shows the screen the fragment names. */
export function App() {
  const [config, setConfig] = useState<SignInConfig | undefined>(undefined);
  const [session, setSession] = useState<Session | undefined>(() => currentSession());
  const [problem, setProblem] = useState<string[]>([]);
  const [screen, setScreen] = useState<Screen>(screenFromHash);
  const [announcement, setAnnouncement] = useState('');
  // While a key is being created, leaving its screen would lose the secret: navigation is held.
  const creating = useRef(false);
  const [leaveHeld, setLeaveHeld] = useState(false);
  const onCreateBusy = useCallback((busy: boolean) => {
    creating.current = busy;
    if (!busy) setLeaveHeld(false);
  }, []);

  useEffect(() => {
    const onHash = () => {
      if (creating.current && screenFromHash() !== 'create') {
        window.history.replaceState(null, '', '#/create');
        setLeaveHeld(true);
        return;
      }
      setScreen(screenFromHash());
    };
    // A link to another screen is held before it changes the fragment, so the address never shows
    // a screen the console is not on and history gains no entry; `onHash` still holds Back and a
    // fragment typed into the address bar.
    const onClick = (event: MouseEvent) => {
      if (!creating.current || event.defaultPrevented) return;
      const link = (event.target as Element | null)?.closest?.('a[href^="#/"]');
      if (!link || link.getAttribute('href') === '#/create') return;
      event.preventDefault();
      setLeaveHeld(true);
    };
    window.addEventListener('hashchange', onHash);
    document.addEventListener('click', onClick, true);
    loadSignInConfig()
      .then(async (loaded) => {
        setConfig(loaded);
        const completed = await completeSignIn(loaded);
        if (completed) {
          setSession(completed);
          // Sign-in restored the fragment it began at (a deep link such as #/audit).
          setScreen(screenFromHash());
        }
      })
      .catch((error: unknown) => setProblem([(error as Error).message]));
    return () => {
      window.removeEventListener('hashchange', onHash);
      document.removeEventListener('click', onClick, true);
    };
  }, []);

  const api = useMemo(
    () =>
      managementApi({
        baseUrl: config?.apiBaseUrl ?? '',
        token: () => currentSession()?.token,
        onUnauthorized: () => {
          signOut(undefined);
          setSession(undefined);
          setProblem(['Your session has ended. Sign in again.']);
        },
      }),
    [config],
  );

  const go = (next: Screen) => {
    window.location.hash = `#/${next}`;
    setScreen(next);
  };
  // A status belongs to the screen it was said on.
  useEffect(() => setAnnouncement(''), [screen]);
  useEffect(() => {
    document.title = session ? `${TITLES[screen]} — keygate` : 'Sign in — keygate';
  }, [screen, session]);
  // On a new screen, focus goes to its heading (not the page's start, nor a control now gone).
  const shownScreen = useRef<Screen | undefined>(undefined);
  useEffect(() => {
    if (!session) return;
    const before = shownScreen.current;
    shownScreen.current = screen;
    if (before !== undefined && before !== screen) document.querySelector<HTMLElement>('main h1')?.focus();
  }, [screen, session]);

  if (!session) {
    return (
      <main class="signed-out" id="main">
        <h1>keygate</h1>
        <p>Company API Keys: create, list and revoke the keys your applications use.</p>
        <FormAlert messages={problem} />
        <button type="button" disabled={!config} onClick={() => config && beginSignIn(config)}>
          Sign in
        </button>
      </main>
    );
  }

  return (
    <>
      <header class="top">
        <a class="brand" href="#/keys">
          keygate
        </a>
        <nav aria-label="Console">
          <a href="#/keys" aria-current={SECTION[screen] === 'keys' ? 'page' : undefined}>
            API keys
          </a>
          <a href="#/notifications" aria-current={SECTION[screen] === 'notifications' ? 'page' : undefined}>
            Notifications
          </a>
          <a href="#/audit" aria-current={SECTION[screen] === 'audit' ? 'page' : undefined}>
            Audit log
          </a>
        </nav>
        <span class="who">
          {session.email ?? 'Root admin'}
          {session.companyId ? ` · ${session.companyId}` : ''}
        </span>
        <button
          type="button"
          class="secondary"
          onClick={() => {
            signOut(config);
            setSession(undefined);
            setProblem([]);
          }}
        >
          Sign out
        </button>
      </header>
      <main id="main">
        <p class={announcement ? 'status' : 'visually-hidden'} role="status">
          {announcement}
        </p>
        {screen === 'keys' ? (
          <KeysScreen api={api} onCreate={() => go('create')} announce={setAnnouncement} />
        ) : null}
        {screen === 'create' ? (
          <CreateKeyScreen api={api} onClose={() => go('keys')} onBusy={onCreateBusy} held={leaveHeld} />
        ) : null}
        {screen === 'notifications' ? <NotificationsScreen api={api} announce={setAnnouncement} /> : null}
        {screen === 'audit' ? <AuditScreen api={api} /> : null}
      </main>
    </>
  );
}
