/**
 * Secret detection by shape and by name, against a corpus: values shaped like real secrets (the
 * shapes of gitleaks' and detect-secrets' rules, none of them live) must be refused as plain
 * variables; look-alikes that are not secrets must pass.
 */
import { secretLookingReason } from "../constructs/model/secrets";

const SECRET_VALUES: ReadonlyArray<[string, string]> = [
  ["an AWS secret access key", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"],
  ["an AWS access key id", "AKIAIOSFODNN7EXAMPLE"],
  [
    "a JWT",
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
  ],
  ["a Bearer header", "Bearer 8f14e45fceea167a5a36dedd4bea2543abc"],
  ["a Basic header", "Basic dXNlcm5hbWU6cGFzc3dvcmQxMjM0NTY="],
  ["a libpq connection string", "host=db.internal port=5432 dbname=app user=app password=s3cr3t-Pa55"],
  ["an ADO connection string", "Server=db;Database=app;User Id=app;Password=hunter2hunter2;"],
  ["a URL with credentials", "postgres://app:hunter2@db.internal:5432/app"],
  [
    "a PEM private key",
    "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----",
  ],
  ["a GitHub token", "ghp_16C7e42F292c6912E7710c838347Ae178B4a"],
  ["a Stripe secret key", "sk_live_4eC39HqLyjWDarjtT1zdp7dc"],
  ["a Slack token", "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"],
  ["a Google API key", "AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe"],
];

const SECRET_NAMES = [
  "PGPASSWORD",
  "SESSION_KEY",
  "MYSQL_ROOT_PASSWORD",
  "GITHUBTOKEN",
  "jwtKey",
  "HMAC_KEY",
  "COOKIE_SECRET",
];

const LOOK_ALIKES: ReadonlyArray<[string, string, string]> = [
  ["a Stripe publishable key", "STRIPE_PUBLISHABLE", "pk_live_51H8d2KJ3bPq9x0aBcDeFgHiJ"],
  ["a commit SHA", "GIT_SHA", "3f786850e387550fdab836ed7e6dc881de23001b"],
  ["an upper-case commit SHA", "BUILD_COMMIT", "3F786850E387550FDAB836ED7E6DC881DE23001B"],
  ["a UUID", "TENANT_UUID", "123e4567-e89b-12d3-a456-426614174000"],
  ["a URL without credentials", "UPSTREAM_BASE", "https://api.example.com:8443/v1/orders?page=2"],
  ["a database URL without credentials", "REPLICA_HOST", "postgres://db.internal:5432/app"],
  ["a log level", "LOG_LEVEL", "info"],
  ["a token endpoint", "TOKEN_URL", "https://auth.example.com/oauth2/token"],
  ["a secret's ARN", "DB_SECRET_ARN", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:app/db-AbCdEf"],
  ["a tokenizer model", "TOKENIZER_MODEL", "cl100k_base"],
  ["a feature list", "FEATURE_FLAGS", "checkout,search"],
  ["a password policy switch", "PASSWORD_MIN_LENGTH", "12"],
  [
    "a base64 image digest",
    "IMAGE_DIGEST",
    "sha256:9b2a1c4f8e0d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b",
  ],
];

describe("secret-shaped values are refused as plain variables", () => {
  test.each(SECRET_VALUES)("%s", (_, value) => {
    expect(secretLookingReason("HARMLESS_NAME", value)).toMatch(/^its value looks like /);
  });
});

describe("secret names are refused whatever their value", () => {
  test.each(SECRET_NAMES)("%s", (name) => {
    expect(secretLookingReason(name, "x")).toMatch(/^its name contains /);
  });
});

describe("look-alikes pass", () => {
  test.each(LOOK_ALIKES)("%s", (_, name, value) => {
    expect(secretLookingReason(name, value)).toBeUndefined();
  });
});
