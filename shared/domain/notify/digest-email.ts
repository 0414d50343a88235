import type { CompanyDigest } from './digest.js';
import type { DueKey } from './ports.js';

/** What a digest email says, before any transport adds recipients. */
export interface DigestEmail {
  subject: string;
  text: string;
  html: string;
}

/**
 * SES refuses messages over 10 MB after MIME encoding; bodies grow by about a third when encoded
 * (base64), so the estimate below must stay under this.
 */
export const SES_MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

/** A digest too large for one SES message: the run reports the company failed rather than cut it. */
export class DigestTooLargeError extends Error {
  constructor(
    readonly companyId: string,
    readonly estimatedBytes: number,
  ) {
    super(`digest for company ${companyId} would be about ${estimatedBytes} bytes, over SES's limit`);
    this.name = 'DigestTooLargeError';
  }
}

/**
 * Renders a company's digest as subject, plain text and HTML. Lists every key (nothing is capped);
 * every value that a user or operator supplied is HTML-escaped in the HTML body. Shows names,
 * display prefixes, key ids and scopes, never a key or its digest (`DueKey` holds neither).
 *
 * A disabled key and a key replaced by rotation are still listed (they do expire, and an admin may
 * look for them) but marked so, and the subject says how many of the keys need no action. The
 * subject starts with the company id in brackets, e.g. "[acme] 2 API keys expire this week".
 */
export function renderDigestEmail(
  digest: CompanyDigest,
  options: { asOf: Date; consoleUrl: string },
): DigestEmail {
  const { asOf, consoleUrl } = options;
  const handled = [...digest.expired, ...digest.expiring].filter(needsNoAction).length;
  // The company first, so a recipient of several companies' digests tells them apart in the inbox.
  const subject = `[${digest.companyId}] ${digestSubject(digest.expired.length, digest.expiring.length, handled)}`;
  const intro = `API keys of company ${digest.companyId} that expired in the last 24 hours or expire within the next 7 days, as of ${formatUtc(asOf)}.`;
  const sections = [
    { title: 'Expired in the last 24 hours', keys: digest.expired },
    { title: 'Expiring within 7 days', keys: digest.expiring },
  ].filter((section) => section.keys.length > 0);
  // Rotation is for keys still valid: the API refuses to rotate an expired key (409).
  const advice = [
    ...(digest.expiring.length > 0 ? [ROTATE_ADVICE] : []),
    ...(digest.expired.length > 0 ? [EXPIRED_ADVICE] : []),
  ];

  const text = [
    intro,
    ...sections.map(
      (section) =>
        `${section.title} (${section.keys.length}):\n${section.keys.map((key) => textLine(key, asOf)).join('\n')}`,
    ),
    ...advice,
    `Manage your API keys: ${consoleUrl}`,
    SIGNATURE,
  ].join('\n\n');

  const html = [
    '<!DOCTYPE html><html><head><meta charset="utf-8">',
    `<title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#1a1a1a">',
    `<p>${escapeHtml(intro)}</p>`,
    ...sections.map((section) => htmlSection(section.title, section.keys, asOf)),
    ...advice.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`),
    `<p><a href="${escapeHtml(consoleUrl)}">Manage your API keys</a> (${escapeHtml(consoleUrl)})</p>`,
    `<p style="color:#666">${escapeHtml(SIGNATURE)}</p>`,
    '</body></html>',
  ].join('\n');

  return { subject, text, html };
}

const ROTATE_ADVICE =
  'To rotate a key that has not expired yet: choose Rotate on it in the console, run "keygate keys rotate <key id> --grace 1d", ' +
  'or call POST /v1/api-keys/{id}/rotate. You get a new key with the same name, scopes and allow-list ' +
  '(its secret shown once); the old key keeps working for the grace period (1 day by default, at most ' +
  '7 days), so put the new key in the application and check that its requests succeed before the old ' +
  'one ends. A key marked "replaced by rotation" needs nothing more; a disabled key already fails ' +
  'every request.';

const EXPIRED_ADVICE =
  'An expired key cannot be rotated or extended: if an application still needs one, create a new key ' +
  'with the scopes it needs (Create API Key in the console, "keygate keys create", or POST /v1/api-keys), ' +
  'put it in the application, then delete the expired key.';

const SIGNATURE = 'You receive this because you are a notification recipient for these API keys.';

/**
 * The subject with both counts, e.g. "2 API keys expire this week, 1 expired in the last 24 hours".
 * Either count may be zero (then that half is left out). `handledCount` of the keys (disabled or
 * replaced by rotation) need no action: the subject says so, e.g. "… (1 already replaced or
 * disabled)", so a digest of keys already dealt with does not read as a call to act.
 */
export function digestSubject(expiredCount: number, expiringCount: number, handledCount = 0): string {
  return `${countsPhrase(expiredCount, expiringCount)}${handledTail(handledCount, expiredCount + expiringCount)}`;
}

function countsPhrase(expiredCount: number, expiringCount: number): string {
  const expiring = `${expiringCount} ${expiringCount === 1 ? 'API key expires' : 'API keys expire'} this week`;
  if (expiredCount === 0) return expiringCount === 0 ? 'No API keys expire this week' : expiring;
  const expiredTail = 'expired in the last 24 hours';
  if (expiringCount === 0) {
    return `${expiredCount} ${expiredCount === 1 ? 'API key' : 'API keys'} ${expiredTail}`;
  }
  return `${expiring}, ${expiredCount} ${expiredTail}`;
}

function handledTail(handledCount: number, total: number): string {
  if (handledCount === 0) return '';
  if (handledCount === total)
    return total === 1 ? ' (already replaced or disabled)' : ' (all already replaced or disabled)';
  return ` (${handledCount} already replaced or disabled)`;
}

/** A disabled key fails every request already; a replaced one has its successor: nothing to do. */
export function needsNoAction(key: DueKey): boolean {
  return !key.enabled || key.rotatedTo !== null;
}

/**
 * What the admin should know about the key's state, or nothing for an enabled key never rotated:
 * "disabled: …", "replaced by rotation: …", or both.
 */
export function statePhrases(key: DueKey): string[] {
  const phrases: string[] = [];
  if (!key.enabled) phrases.push('disabled: it already fails every request');
  if (key.rotatedTo !== null) {
    const successor =
      key.rotatedTo.keyPrefix === null
        ? `key ${key.rotatedTo.keyId} (since deleted)`
        : `${key.rotatedTo.keyPrefix}… (key ${key.rotatedTo.keyId})`;
    phrases.push(`replaced by rotation: ${successor}; no action needed`);
  }
  return phrases;
}

function textLine(key: DueKey, asOf: Date): string {
  return [
    `- ${isolateText(key.name)} (${key.keyPrefix}…)`,
    `  scopes: ${key.scopes.join(', ')}`,
    // The id is what the CLI and the API name a key by (the advice's `keygate keys rotate <key id>`).
    `  key id: ${key.keyId}`,
    `  ${expiryPhrase(key, asOf)}`,
    ...statePhrases(key).map((phrase) => `  ${phrase}`),
  ].join('\n');
}

/**
 * A name between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE: its direction is its own and
 * cannot reorder the rest of the line (a right-to-left name would otherwise pull the prefix after
 * it). The isolate also ends any embedding or override left open in the name, so a name stored
 * before bidirectional controls were refused cannot reverse the line either. `<bdi>` does the
 * same in the HTML body.
 */
export function isolateText(value: string): string {
  return `\u2068${value}\u2069`;
}

function htmlSection(title: string, keys: readonly DueKey[], asOf: Date): string {
  const rows = keys.map(
    (key) =>
      `<tr><td style="padding:4px 8px"><bdi>${escapeHtml(key.name)}</bdi></td>` +
      `<td style="padding:4px 8px;font-family:monospace">${escapeHtml(key.keyPrefix)}…<br>` +
      `<span style="color:#666">${escapeHtml(key.keyId)}</span></td>` +
      `<td style="padding:4px 8px">${escapeHtml(key.scopes.join(', '))}</td>` +
      `<td style="padding:4px 8px">${escapeHtml(expiryPhrase(key, asOf))}</td>` +
      `<td style="padding:4px 8px">${htmlState(key)}</td></tr>`,
  );
  return [
    `<h3>${escapeHtml(title)} (${keys.length})</h3>`,
    '<table style="border-collapse:collapse"><thead><tr>',
    '<th align="left" style="padding:4px 8px">Name</th><th align="left" style="padding:4px 8px">Key</th>',
    '<th align="left" style="padding:4px 8px">Scopes</th><th align="left" style="padding:4px 8px">Expiry</th>',
    '<th align="left" style="padding:4px 8px">State</th>',
    '</tr></thead><tbody>',
    ...rows,
    '</tbody></table>',
  ].join('\n');
}

/** The state cell: "enabled", or the state phrases, each with what precedes its colon in bold. */
function htmlState(key: DueKey): string {
  const phrases = statePhrases(key);
  if (phrases.length === 0) return 'enabled';
  return phrases
    .map((phrase) => {
      const colon = phrase.indexOf(':');
      return `<strong>${escapeHtml(phrase.slice(0, colon))}</strong>${escapeHtml(phrase.slice(colon))}`;
    })
    .join('<br>');
}

function expiryPhrase(key: DueKey, asOf: Date): string {
  const expiresAt = new Date(key.expiresAt);
  const verb = expiresAt.getTime() <= asOf.getTime() ? 'expired' : 'expires';
  return `${verb} ${formatUtc(expiresAt)} (${relativeTime(expiresAt, asOf)})`;
}

/** `2026-11-30 14:00 UTC`. */
export function formatUtc(time: Date): string {
  const iso = time.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/**
 * How long until or since `time`, from `asOf`, in at most two whole units, e.g. "in 3 days",
 * "in 2 days 5 hours", "5 hours ago", "in 45 minutes", "less than a minute ago".
 */
export function relativeTime(time: Date, asOf: Date): string {
  const diffMs = time.getTime() - asOf.getTime();
  const future = diffMs > 0;
  const minutes = Math.floor(Math.abs(diffMs) / 60_000);
  if (minutes === 0) return future ? 'in less than a minute' : 'less than a minute ago';
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const parts =
    days > 0
      ? [plural(days, 'day'), hours > 0 ? plural(hours, 'hour') : '']
      : hours > 0
        ? [plural(hours, 'hour'), mins > 0 ? plural(mins, 'minute') : '']
        : [plural(mins, 'minute')];
  const span = parts.filter(Boolean).join(' ');
  return future ? `in ${span}` : `${span} ago`;
}

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => HTML_ENTITIES[char] ?? char);
}

const HTML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Upper estimate of the MIME-encoded size of the message to `recipient`: bodies base64-encoded plus
 * headroom for headers.
 */
export function estimatedMessageBytes(email: DigestEmail, recipient: string): number {
  const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
  const encoded = (text: string) => Math.ceil(bytes(text) / 3) * 4 * (1 + 2 / 76);
  return Math.ceil(
    encoded(email.text) + encoded(email.html) + encoded(email.subject) + bytes(recipient) + 4096,
  );
}
