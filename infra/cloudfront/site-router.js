// A CloudFront Function (cloudfront-js-2.0) on viewer requests of the console and docs behaviours and
// the default one. S3 behind origin access control has no index documents and no redirects, so the
// addresses people type are mapped here to the objects the deployments write; anything else the
// default behaviour receives is answered 404 here and never reaches the bucket. Plain script, no
// imports: CloudFront runs this file as it is (test/unit/infra/site-router.test.ts runs it too).

const NOT_FOUND = {
  statusCode: 404,
  statusDescription: 'Not Found',
  headers: { 'content-type': { value: 'text/plain; charset=utf-8' } },
  body: 'Not Found\n',
};

function redirect(location) {
  return {
    statusCode: 308,
    statusDescription: 'Permanent Redirect',
    headers: { location: { value: location } },
  };
}

// biome-ignore lint/correctness/noUnusedVariables: CloudFront calls `handler` by name.
function handler(event) {
  const request = event.request;
  const uri = request.uri;
  if (uri === '/' || uri === '/console') return redirect('/console/');
  if (uri === '/v1/openapi.json') {
    request.uri = '/docs/openapi.json';
    return request;
  }
  if (uri === '/docs' || uri === '/docs/') {
    request.uri = '/docs/index.html';
    return request;
  }
  if (uri.startsWith('/docs/')) return request;
  if (uri.startsWith('/console/')) {
    if (uri.endsWith('/')) request.uri = `${uri}index.html`;
    return request;
  }
  return NOT_FOUND;
}
