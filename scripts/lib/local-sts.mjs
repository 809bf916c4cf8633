// A tiny STS on 127.0.0.1 that answers AssumeRole with made-up temporary credentials, so that
// `--iam_role_arn ... --sts_endpoint http://127.0.0.1:PORT` can run against the local
// emulator (fauxqs has no STS). It records every request so tests can assert what was asked.

import { createServer } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';

const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

/**
 * Starts the responder. With `deny: true` every AssumeRole is refused with AccessDenied, as
 * STS does when the role's trust policy or the external id does not match.
 */
export async function startLocalSts({ deny = false, accountId = '111122223333' } = {}) {
  const requests = [];

  const server = createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const params = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const recorded = recordRequest(request, params);
      requests.push(recorded);
      answer(response, recorded, { deny, accountId });
    });
  });

  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${server.address().port}`;

  return {
    endpoint,
    /** One entry per request: action, roleArn, sessionName, externalId, durationSeconds. */
    requests,
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}

function recordRequest(request, params) {
  const duration = params.get('DurationSeconds');
  return {
    action: params.get('Action'),
    roleArn: params.get('RoleArn'),
    sessionName: params.get('RoleSessionName'),
    externalId: params.get('ExternalId') ?? undefined,
    durationSeconds: duration === null ? undefined : Number(duration),
    // Which key signed the request (the caller's base credentials); never the secret.
    signedWithKeyId: /Credential=([^/]+)\//.exec(request.headers.authorization ?? '')?.[1],
  };
}

function answer(response, recorded, { deny, accountId }) {
  if (recorded.action !== 'AssumeRole') {
    sendXml(response, 400, errorXml('InvalidAction', `${recorded.action} is not supported here`));
    return;
  }
  if (deny) {
    const message = `Not authorized to perform: sts:AssumeRole on resource: ${recorded.roleArn}`;
    sendXml(response, 403, errorXml('AccessDenied', message));
    return;
  }
  sendXml(response, 200, assumeRoleXml(recorded, accountId));
}

function assumeRoleXml({ roleArn, sessionName, durationSeconds }, accountId) {
  const roleName = escapeXml((roleArn ?? '').split('/').pop());
  const session = escapeXml(sessionName);
  const expiration = new Date(Date.now() + (durationSeconds ?? 3600) * 1000).toISOString();
  return `<AssumeRoleResponse xmlns="${STS_NAMESPACE}">
  <AssumeRoleResult>
    <AssumedRoleUser>
      <AssumedRoleId>AROALOCAL:${session}</AssumedRoleId>
      <Arn>arn:aws:sts::${accountId}:assumed-role/${roleName}/${session}</Arn>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>ASIALOCAL${randomBytes(6).toString('hex').toUpperCase()}</AccessKeyId>
      <SecretAccessKey>${randomBytes(20).toString('base64')}</SecretAccessKey>
      <SessionToken>${randomBytes(32).toString('base64')}</SessionToken>
      <Expiration>${expiration}</Expiration>
    </Credentials>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata>
</AssumeRoleResponse>`;
}

function errorXml(code, message) {
  return `<ErrorResponse xmlns="${STS_NAMESPACE}">
  <Error><Type>Sender</Type><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error>
  <RequestId>${randomUUID()}</RequestId>
</ErrorResponse>`;
}

function sendXml(response, status, body) {
  response.writeHead(status, { 'content-type': 'text/xml' });
  response.end(body);
}

function escapeXml(text) {
  return String(text ?? '').replace(/[<>&'"]/g, (char) => `&#${char.charCodeAt(0)};`);
}
