import { MessageRejected, SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { SesMailer } from '../../../shared/adapters/ses/ses-mailer.js';

const ses = mockClient(SESClient);
afterEach(() => ses.reset());

const email = {
  to: 'ops@acme.test',
  subject: '1 API key expires this week',
  text: 'plain',
  html: '<p>html</p>',
};

describe('SesMailer', () => {
  it('sends one SES v1 SendEmail from the sender to the one recipient, with text and HTML bodies in UTF-8', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
    const result = await new SesMailer(new SESClient({ region: 'us-east-1' }), 'keygate@acme.test').send(
      email,
    );
    expect(result).toEqual({ messageId: 'm-1' });
    const calls = ses.commandCalls(SendEmailCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toEqual({
      Source: 'keygate@acme.test',
      Destination: { ToAddresses: ['ops@acme.test'] },
      Message: {
        Subject: { Data: email.subject, Charset: 'UTF-8' },
        Body: { Text: { Data: 'plain', Charset: 'UTF-8' }, Html: { Data: '<p>html</p>', Charset: 'UTF-8' } },
      },
    });
  });

  it('throws when SES rejects the message', async () => {
    ses
      .on(SendEmailCommand)
      .rejects(new MessageRejected({ message: 'Email address is not verified.', $metadata: {} }));
    await expect(
      new SesMailer(new SESClient({ region: 'us-east-1' }), 'x@acme.test').send(email),
    ).rejects.toThrow(MessageRejected);
  });

  it('throws when SES answers without a MessageId', async () => {
    ses.on(SendEmailCommand).resolves({});
    await expect(
      new SesMailer(new SESClient({ region: 'us-east-1' }), 'x@acme.test').send(email),
    ).rejects.toThrow(/MessageId/);
  });
});
