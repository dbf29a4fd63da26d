import { parseSecretReference, secretLookingReason } from "../constructs/model/secrets";

describe("parseSecretReference", () => {
  test("grants a full Secrets Manager ARN as is, and a JSON-key reference through its secret", () => {
    const full = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbC123";
    expect(parseSecretReference(full)).toEqual({
      kind: "secretsmanager",
      valueFrom: full,
      iamResource: full,
      resourceArn: full,
      region: "eu-west-1",
    });
    expect(parseSecretReference(`${full}:password::`)?.iamResource).toBe(full);
    expect(parseSecretReference(`${full}:password::`)?.resourceArn).toBe(full);
  });

  test("grants a partial ARN with exactly the six-character random suffix", () => {
    expect(
      parseSecretReference("arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db")?.iamResource,
    ).toBe("arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-??????");
  });

  test("accepts SSM parameter ARNs", () => {
    expect(parseSecretReference("arn:aws:ssm:us-east-1:123456789012:parameter/a/b")).toMatchObject({
      kind: "ssm",
      region: "us-east-1",
    });
  });

  test.each([
    "",
    "prod/db",
    "arn:aws:s3:::bucket",
    "arn:aws:secretsmanager:eu-west-1:123:secret:x",
    "arn:aws:ssm:eu-west-1:123456789012:document/x",
    42,
  ])("rejects %p", (value) => expect(parseSecretReference(value)).toBeUndefined());
});

describe("secretLookingReason", () => {
  test.each([
    ["DB_PASSWORD", "x", "its name contains PASSWORD"],
    ["github_token", "x", "its name contains TOKEN"],
    ["STRIPE_API_KEY", "x", "its name contains API_KEY"],
    ["JWT_PRIVATE_KEY", "x", "its name contains PRIVATE_KEY"],
    ["CLIENT_SECRET", "x", "its name contains SECRET"],
    ["AWS_SECRET_ACCESS_KEY", "x", "its name contains SECRET"],
    ["GOOGLE_CREDENTIALS", "x", "its name contains CREDENTIALS"],
    [
      "DATABASE_URL",
      "postgres://app:pw@db:5432/app",
      "its value looks like a URL with credentials (user:password@)",
    ],
    ["CERT", "-----BEGIN RSA PRIVATE KEY-----\nMII", "its value looks like a PEM private key"],
    ["ID", "AKIAABCDEFGHIJKLMNOP", "its value looks like an AWS access key id"],
  ])("flags %s", (name, value, reason) => {
    expect(secretLookingReason(name, value)).toBe(reason);
  });

  test.each([
    ["LOG_LEVEL", "debug"],
    ["TOKEN_URL", "https://auth.example.com/token"],
    ["DB_PASSWORD_SECRET_ARN", "arn:aws:secretsmanager:eu-west-1:1:secret:x"],
    ["PASSWORD_MIN_LENGTH", "12"],
    ["DATABASE_URL", "postgres://db:5432/app"],
    ["KEYSPACE", "orders"],
  ])("accepts %s", (name, value) => {
    expect(secretLookingReason(name, value)).toBeUndefined();
  });
});
