/**
 * Secrets injected into containers: parsing of the ARNs the task definition's `secrets` accept,
 * the IAM resources that grant exactly those secrets, and a check that keeps secret-looking
 * values out of plain `environment`.
 */
import { PARTITIONS, arnPlacementProblem, parseArn } from "./arns";
import { check } from "./checks";
import type { Problem } from "./checks";

export interface SecretReference {
  readonly kind: "secretsmanager" | "ssm";
  /** What goes into the container definition's `valueFrom`. */
  readonly valueFrom: string;
  /** IAM resource that grants exactly this secret or parameter. */
  readonly iamResource: string;
  /** The secret's or parameter's own ARN (without a JSON key, stage or version). */
  readonly resourceArn: string;
  readonly region: string;
}

const PARTITION = PARTITIONS.join("|");
const SECRETS_MANAGER_ARN = new RegExp(
  `^(arn:(?:${PARTITION}):secretsmanager:([a-z0-9-]+):\\d{12}:secret:([A-Za-z0-9/_+=.@-]+))(:[A-Za-z0-9_.-]*:[A-Za-z0-9_-]*:[A-Za-z0-9_-]*)?$`,
);
const SSM_PARAMETER_ARN = new RegExp(
  `^arn:(?:${PARTITION}):ssm:([a-z0-9-]+):\\d{12}:parameter/[A-Za-z0-9/_.-]+$`,
);
/** Secrets Manager appends "-" and 6 random characters to every secret's ARN. */
const RANDOM_SUFFIX = /-[A-Za-z0-9]{6}$/;

/**
 * Parses a Secrets Manager secret ARN (optionally `:json-key:version-stage:version-id`) or an SSM
 * parameter ARN; undefined when it is neither.
 */
export function parseSecretReference(arn: unknown): SecretReference | undefined {
  if (typeof arn !== "string") return undefined;
  const sm = SECRETS_MANAGER_ARN.exec(arn);
  if (sm) {
    const secretArn = sm[1] as string;
    // A partial ARN (without the random suffix) is granted the suffix with `??????`, still exact.
    const iamResource = RANDOM_SUFFIX.test(secretArn) ? secretArn : `${secretArn}-??????`;
    return {
      kind: "secretsmanager",
      valueFrom: arn,
      iamResource,
      resourceArn: secretArn,
      region: sm[2] as string,
    };
  }
  const ssm = SSM_PARAMETER_ARN.exec(arn);
  if (ssm) {
    return { kind: "ssm", valueFrom: arn, iamResource: arn, resourceArn: arn, region: ssm[1] as string };
  }
  return undefined;
}

export const secretArn = check(
  "a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>, optionally :<json-key>:<stage>:<version>) or an SSM parameter ARN (arn:aws:ssm:<region>:<account>:parameter/<name>)",
  (v) => parseSecretReference(v) !== undefined,
);

export const environmentVariableName = check(
  'a variable name of letters, digits and underscores, not starting with a digit (and not "__proto__")',
  (v) => typeof v === "string" && /^[A-Za-z_][A-Za-z0-9_]{0,254}$/.test(v) && v !== "__proto__",
);

const SECRET_WORDS = new Set([
  "PASSWORD",
  "PASSWD",
  "PWD",
  "PASS",
  "PASSPHRASE",
  "SECRET",
  "TOKEN",
  "APIKEY",
  "CREDENTIAL",
  "CREDENTIALS",
  "DSN",
  "PAT",
  "PRIVATEKEY",
]);
const SECRET_PAIRS = [
  ["API", "KEY"],
  ["APP", "KEY"],
  ["PRIVATE", "KEY"],
  ["ACCESS", "KEY"],
  ["SECRET", "KEY"],
  ["SIGNING", "KEY"],
  ["ENCRYPTION", "KEY"],
  ["MASTER", "KEY"],
  ["LICENSE", "KEY"],
  ["BASIC", "AUTH"],
  ["SESSION", "KEY"],
  ["JWT", "KEY"],
  ["HMAC", "KEY"],
  ["SHARED", "KEY"],
  ["COOKIE", "KEY"],
  ["CLIENT", "KEY"],
];
/** A word ending in one of these holds a secret too: PGPASSWORD, MYSQL_ROOTPASSWORD, GITHUBTOKEN. */
const SECRET_WORD_ENDINGS = ["PASSWORD", "PASSWD", "PASSPHRASE", "SECRET", "TOKEN", "APIKEY", "PRIVATEKEY"];
/** Words that make a name secret whatever follows: a webhook URL carries its secret in the URL. */
const ALWAYS_SECRET_WORDS = new Set(["WEBHOOK", "WEBHOOKS"]);
/** A name ending in one of these refers to a secret rather than holding one (TOKEN_URL, SECRET_ARN). */
const REFERENCE_SUFFIXES = new Set([
  "URL",
  "URI",
  "ENDPOINT",
  "ARN",
  "ID",
  "NAME",
  "PATH",
  "FILE",
  "HEADER",
  "TTL",
  "EXPIRY",
  "LENGTH",
  "TYPE",
  "ENABLED",
  "DISABLED",
  "REQUIRED",
]);

/** A variable name's words: split at non-alphanumerics and camelCase boundaries ("dbPassword" → DB, PASSWORD). */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter((w) => w !== "");
}

/**
 * Values that are secrets whatever the variable is called. The shapes follow gitleaks' default
 * rules (github, slack, stripe, npm, gitlab, gcp-api-key, sendgrid, jwt, private-key,
 * aws-access-token) and detect-secrets' plugins (BasicAuth, KeywordDetector's password=,
 * AWSKeyDetector's 40-character secret access key), narrowed where a look-alike would match:
 * publishable keys (pk_live_), commit SHAs (40 lowercase hex), UUIDs and URLs without
 * credentials pass (the corpus in __tests__/secret-shapes.test.ts).
 */
const SECRET_VALUE_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:[^/\s@]+@/i, "a URL with credentials (user:password@)"],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, "a PEM private key"],
  [/\b(AKIA|ASIA)[0-9A-Z]{16}\b/, "an AWS access key id"],
  [/\b(ghp|gho|ghu|ghs|ghr|github_pat)_[A-Za-z0-9_]{20,}/, "a GitHub token"],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}/, "a Slack token"],
  [/\b[rs]k_(live|test)_[A-Za-z0-9]{16,}/, "a Stripe secret key"],
  [/\bnpm_[A-Za-z0-9]{36}\b/, "an npm token"],
  [/\bglpat-[A-Za-z0-9_-]{20,}/, "a GitLab token"],
  [/\bAIza[0-9A-Za-z_-]{35}\b/, "a Google API key"],
  [/\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b/, "a SendGrid key"],
  [/^https:\/\/hooks\.slack\.com\/services\//, "a Slack webhook URL"],
  [/\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/, "a JSON Web Token"],
  [/\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/-]{16,}=*/i, "an Authorization header value"],
  [/(^|[\s;?&])(password|passwd|pwd)\s*=\s*[^\s;&]+/i, "a connection string with a password"],
  [
    /^(?=[A-Za-z0-9/+]*[A-Z])(?=[A-Za-z0-9/+]*[a-z])(?=[A-Za-z0-9/+]*[0-9/+])[A-Za-z0-9/+]{40}$/,
    "an AWS secret access key",
  ],
];

/** Why a plain environment variable looks like a secret, or undefined when it does not. */
export function secretLookingReason(name: string, value: string): string | undefined {
  const words = nameWords(name);
  const last = words[words.length - 1] ?? "";
  const always = words.find((w) => ALWAYS_SECRET_WORDS.has(w));
  if (always) return `its name contains ${always}`;
  if (!REFERENCE_SUFFIXES.has(last)) {
    const word = words.find((w) => SECRET_WORDS.has(w) || SECRET_WORD_ENDINGS.some((e) => w.endsWith(e)));
    if (word) return `its name contains ${word}`;
    const pair = SECRET_PAIRS.find(([a, b]) => words.some((w, i) => w === a && words[i + 1] === b));
    if (pair) return `its name contains ${pair.join("_")}`;
  }
  const match = SECRET_VALUE_PATTERNS.find(([pattern]) => pattern.test(value));
  return match ? `its value looks like ${match[1]}` : undefined;
}

/**
 * Plain variables that look like secrets, and names used both as plain variables and secrets.
 * `prefix` names the fields as the caller knows them ("" for construct props, "service." for settings).
 */
export function environmentSecretProblems(
  environment: Readonly<Record<string, string>>,
  secrets: Readonly<Record<string, string>>,
  prefix = "",
): Problem[] {
  const secretLooking = Object.entries(environment).flatMap(([name, value]) => {
    const reason = secretLookingReason(name, value);
    return reason
      ? [
          {
            field: `${prefix}environment.${name}`,
            value: "(value hidden)",
            allowed: `a non-secret setting; ${reason}, so move it to ${prefix}secrets`,
          },
        ]
      : [];
  });
  const both = Object.keys(secrets)
    .filter((name) => name in environment)
    .map((name) => ({
      field: `${prefix}secrets.${name}`,
      value: name,
      allowed: `a name not also used in ${prefix}environment`,
    }));
  return [...secretLooking, ...both];
}

/** Where a task's secrets and the keys that decrypt them are, as the placement check reads them. */
export interface SecretPlacement {
  readonly region: string;
  /** The account the environment is pinned to, when it is. */
  readonly accountId?: string;
  readonly secrets: Readonly<Record<string, string>>;
  readonly secretsKmsKeyArns: readonly string[];
}

/**
 * Secrets and their KMS keys must be in the region's partition. With a pinned account, SSM
 * parameters must be in it (ECS reads parameters of the task's own account), and a Secrets Manager
 * secret of another account needs a KMS key of that account in secretsKmsKeyArns: a secret shared
 * across accounts cannot use the aws/secretsmanager key, only a customer managed one.
 */
export function secretPlacementProblems(placement: SecretPlacement): Problem[] {
  const { region, accountId } = placement;
  const keyAccounts = new Set(placement.secretsKmsKeyArns.map((arn) => parseArn(arn)?.account));
  const secretProblem = (name: string, arn: string): Problem | undefined => {
    const field = `service.secrets.${name}`;
    const placed = arnPlacementProblem(field, arn, { region });
    const account = parseArn(arn)?.account;
    if (placed !== undefined || accountId === undefined || account === accountId) return placed;
    if (parseSecretReference(arn)?.kind === "ssm") {
      return {
        field,
        value: arn,
        allowed: `an SSM parameter in account ${accountId}, the account the environment is pinned to`,
      };
    }
    return keyAccounts.has(account)
      ? undefined
      : {
          field,
          value: arn,
          allowed: `a secret in account ${accountId}, or one of account ${account ?? "?"} together with its customer managed KMS key in service.secretsKmsKeyArns (a secret shared across accounts cannot use aws/secretsmanager)`,
        };
  };
  return [
    ...Object.entries(placement.secrets).map(([name, arn]) => secretProblem(name, arn)),
    ...placement.secretsKmsKeyArns.map((arn, i) =>
      arnPlacementProblem(`service.secretsKmsKeyArns[${i}]`, arn, { region }),
    ),
  ].filter((p): p is Problem => p !== undefined);
}
