/**
 * Sign-in: paste the API key once (kept in localStorage) and pick the env. The key is checked with one real
 * call, so a wrong key or env is reported with the server's 401/403 message right here.
 */
import { useState } from 'react';
import { ApiError, createApi, describeError, type Session } from '../api/client';

const STORAGE_KEY = 'cutroom.studio.session';

export function loadSession(): Session | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Session;
    return typeof s.key === 'string' && s.key ? { key: s.key, env: typeof s.env === 'string' ? s.env : '' } : null;
  } catch {
    return null;
  }
}

export function storeSession(s: Session | null): void {
  if (s) localStorage.setItem(STORAGE_KEY, JSON.stringify(s));
  else localStorage.removeItem(STORAGE_KEY);
}

export function SignIn({ onSignedIn, message }: { onSignedIn: (s: Session) => void; message?: string | null }) {
  const previous = loadSession();
  const [key, setKey] = useState(previous?.key ?? '');
  const [env, setEnv] = useState(previous?.env ?? '');
  const [error, setError] = useState<string | null>(message ?? null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const session = { key: key.trim(), env: env.trim() };
    try {
      await createApi(session).listProjects();
      storeSession(session);
      onSignedIn(session);
    } catch (err) {
      const allowed = err instanceof ApiError ? (err.details.allowed_envs as string[] | undefined) : undefined;
      setError(describeError(err) + (allowed ? ` Allowed envs: ${allowed.join(', ')}.` : ''));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="signin">
      <form onSubmit={(e) => void submit(e)} data-testid="signin">
        <div className="brand big">
          <span className="logo">▚</span> cutroom <span className="muted">Studio</span>
        </div>
        <label htmlFor="key">API key</label>
        <input id="key" type="password" autoComplete="off" placeholder="crk_…" value={key} onChange={(e) => setKey(e.target.value)} data-testid="api-key" />
        <label htmlFor="env">Env</label>
        <input id="env" list="envs" placeholder="the key's default" value={env} onChange={(e) => setEnv(e.target.value)} data-testid="env" />
        <datalist id="envs">
          <option value="dev" />
          <option value="prod" />
          <option value="staging" />
        </datalist>
        <button className="primary" disabled={busy || key.trim() === ''} data-testid="signin-submit">
          {busy ? 'Checking…' : 'Sign in'}
        </button>
        {error && (
          <p className="error" data-testid="signin-error">
            {error}
          </p>
        )}
        <p className="muted small">
          `cutroom serve` prints a key the first time it runs; `cutroom keys create` makes more. The key stays in this browser only.
        </p>
      </form>
    </div>
  );
}
