import { type SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import type { Mailer, OutgoingEmail } from '../../domain/notify/ports.js';

/**
 * Sends mail with SES v1 `SendEmail` from one verified sender address, one recipient per message (as
 * AWS advises: no recipient sees another, and one bad address fails only its own message).
 */
export class SesMailer implements Mailer {
  constructor(
    private readonly client: SESClient,
    private readonly sender: string,
  ) {}

  /** Resolves with SES's MessageId once SES accepted the message; throws on any SES error or timeout. */
  async send(email: OutgoingEmail): Promise<{ messageId: string }> {
    const { MessageId } = await this.client.send(
      new SendEmailCommand({
        Source: this.sender,
        Destination: { ToAddresses: [email.to] },
        Message: {
          Subject: { Data: email.subject, Charset: 'UTF-8' },
          Body: {
            Text: { Data: email.text, Charset: 'UTF-8' },
            Html: { Data: email.html, Charset: 'UTF-8' },
          },
        },
      }),
    );
    if (!MessageId) throw new Error('SES accepted the message without a MessageId');
    return { messageId: MessageId };
  }
}
