// A real OpenID Connect provider for the test suite (panva/oidc-provider with its development login screens).
// Usage: node server.mjs PORT REDIRECT_URI ACCOUNTS_JSON
//   ACCOUNTS_JSON maps a login name to its claims, e.g. {"aigerim": {"email": "a@uni.kz", "email_verified": true}}
import Provider from 'oidc-provider';

const [port, redirectUri, accountsJson] = process.argv.slice(2);
const accounts = JSON.parse(accountsJson);
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: 'attestation-portal',
    client_secret: 'test-client-secret',
    redirect_uris: [redirectUri],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
  }],
  claims: { openid: ['sub'], email: ['email', 'email_verified'], iin: ['iin'] },
  scopes: ['openid', 'email', 'iin'],
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true } },
  async findAccount(ctx, id) {
    const claims = accounts[id];
    if (!claims) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...claims }; } };
  },
  cookies: { keys: ['test-cookie-key'] },
});
provider.proxy = false;
provider.listen(Number(port), '127.0.0.1', () => console.log(`ready ${issuer}`));
