import { useEffect, useRef, useState } from 'preact/hooks';
import type { CreatedApiKey } from '../api/types.js';

/**
 * The new key, shown this once: its name, scopes, allowed addresses and secret, a "Copy" button, the warning, and
 * "Done" — after which the parent drops the secret from its state, so it is gone from the page.
 */
export function SecretPanel(props: {
  created: CreatedApiKey;
  onDone: () => void;
  title?: string;
  /** Inside a dialog that has its own title: the panel's heading is a level below it. */
  nested?: boolean;
}) {
  const [copied, setCopied] = useState<string>('');
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.created.key);
      setCopied('Copied to the clipboard.');
    } catch {
      setCopied('The browser did not allow copying: select the key and copy it yourself.');
    }
  };
  const Heading = props.nested ? 'h3' : 'h1';
  return (
    <section class="secret" aria-labelledby="secret-title">
      <Heading id="secret-title" tabIndex={-1} ref={heading}>
        {props.title ?? 'API key created'}
      </Heading>
      <p class="warning" role="note">
        Copy the API key now and keep it safe: this is the only time you will see the full key.
      </p>
      <dl>
        <dt>Name</dt>
        <dd>{props.created.name}</dd>
        <dt>Scopes</dt>
        <dd>
          {props.created.scopes.map((scope) => (
            <code key={scope} class="scope-tag">
              {scope}
            </code>
          ))}
        </dd>
        <dt>Allowed IPs</dt>
        <dd>
          {props.created.allowedIps.length === 0
            ? 'Any address'
            : props.created.allowedIps.map((range) => (
                <code key={range} class="scope-tag">
                  {range}
                </code>
              ))}
        </dd>
      </dl>
      <div class="field">
        <label for="secret-value">API Key</label>
        <div class="secret-row">
          <input id="secret-value" readOnly value={props.created.key} spellcheck={false} autoComplete="off" />
          <button type="button" onClick={copy}>
            Copy
          </button>
        </div>
        <p class="hint" aria-live="polite">
          {copied}
        </p>
      </div>
      <button type="button" onClick={props.onDone}>
        Done
      </button>
    </section>
  );
}
