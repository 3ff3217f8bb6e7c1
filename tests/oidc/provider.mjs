// A real OpenID provider for tests/app/oidc.rs: oidc-provider (a certified implementation) on
// 127.0.0.1 on a port the system picks (printed as "listening <issuer>" once it listens), with one client ("meldcode") whose redirect URI is given, and a minimal login
// page instead of a real user database: the form says which address logs in, whether the provider
// vouches for it (email_verified) and whether the login counted as multi-factor (amr).
//
//   node tests/oidc/provider.mjs <redirect-uri> [--rogue] [--id-token-seconds N]
//
// --rogue publishes a different key under the signing key's id: every ID token it issues carries
// a signature that its own key set does not confirm.
// --id-token-seconds N makes its ID tokens expire N seconds after they are issued (the default is
// an hour), so that a test can present one that has expired.
import http from 'node:http';
import crypto from 'node:crypto';
import Provider from 'oidc-provider';

const redirectUri = process.argv[2];
const rogue = process.argv.includes('--rogue');
const ttlAt = process.argv.indexOf('--id-token-seconds');
const idTokenSeconds = ttlAt > 0 ? Number(process.argv[ttlAt + 1]) : 3600;
if (!redirectUri || redirectUri.startsWith('--')) {
  console.error('usage: node provider.mjs <redirect-uri> [--rogue] [--id-token-seconds N]');
  process.exit(2);
}

function rsaKey(kid) {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' };
}
const signingKey = rsaKey('sleutel-1');
const publicPart = ({ kty, n, e, kid, use, alg }) => ({ kty, n, e, kid, use, alg });

// What the login form said about each account: { verified, mfa }.
const accounts = new Map();

// The server listens first, on a port of the system's choosing (no race with another process for
// a port picked in advance); the provider, which must know its issuer, is made once the port is
// known, and only then is the port told to the test.
const server = http.createServer((req, res) => {
  const m = req.url.match(/^\/interaction\/([^/?]+)/);
  if (m) {
    interaction(req, res, m[1]).catch((e) => {
      res.writeHead(500);
      res.end(String(e));
    });
  } else {
    handle(req, res);
  }
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'meldcode',
      client_secret: 'geheim-van-de-test',
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  jwks: { keys: [signingKey] },
  pkce: { required: () => true },
  ttl: { IdToken: idTokenSeconds },
  // Put email and email_verified in the ID token itself, as Google does.
  conformIdTokenClaims: false,
  // amr is issued with every ID token, as Entra ID does: the MFA test reads it there.
  claims: {
    acr: null, amr: null, sid: null, auth_time: null, iss: null,
    openid: ['sub', 'amr'], email: ['email', 'email_verified'], profile: ['name'],
  },
  features: { devInteractions: { enabled: false } },
  cookies: { keys: ['test-cookie-key-not-secret'] },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  // No consent page: the organisation's own application is trusted with these scopes.
  loadExistingGrant: async (ctx) => {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
  findAccount: async (ctx, id) => ({
    accountId: id,
    claims: async () => ({
      sub: id,
      email: id,
      email_verified: accounts.get(id)?.verified ?? false,
      name: id,
    }),
  }),
});

if (rogue) {
  const otherKey = publicPart(rsaKey('sleutel-1'));
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.path === '/jwks') ctx.body = { keys: [otherKey] };
  });
}

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function interaction(req, res, uid) {
  if (req.method === 'GET') {
    await provider.interactionDetails(req, res);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><title>Testaanbieder</title>
<form method="post" action="/interaction/${escape(uid)}">
<input name="login"><input name="verified" value="1"><input name="mfa" value="0">
<button>Inloggen</button></form>`);
    return;
  }
  let body = '';
  for await (const chunk of req) body += chunk;
  const form = new URLSearchParams(body);
  const login = form.get('login');
  accounts.set(login, { verified: form.get('verified') === '1' });
  const amr = form.get('mfa') === '1' ? ['pwd', 'mfa'] : ['pwd'];
  await provider.interactionFinished(req, res, { login: { accountId: login, amr } }, {
    mergeWithLastSubmission: false,
  });
}

const handle = provider.callback();
console.log(`listening ${issuer}`);
