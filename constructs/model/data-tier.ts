/**
 * The data tier, declared once: PostgreSQL on RDS and Redis on ElastiCache. What each setting
 * means, allows and defaults to; the PostgresDatabase and RedisCache constructs validate their
 * props with these rules and the settings schema builds `database.*` and `cache.*` from them.
 */
import { booleanValue, check, integerIn, matches, oneOf } from "./checks";
import type { Problem } from "./checks";
import type { CrossCheck, PropRules, RuleGroup } from "./props";

/** Major versions RDS offers and no scanner flags (CKV_AWS_250/388 want 14 or later). */
export const POSTGRES_MAJOR_VERSIONS = ["14", "15", "16", "17"] as const;
export type PostgresMajorVersion = (typeof POSTGRES_MAJOR_VERSIONS)[number];
/** Redis OSS versions with IAM authentication (7.0 and later). */
export const REDIS_VERSIONS = ["7.0", "7.1"] as const;
export type RedisVersion = (typeof REDIS_VERSIONS)[number];
/** The RDS instance identifier of an environment, e.g. "orders-api-prod-postgres" (its break-glass step names it). */
export const databaseIdentifier = (namePrefix: string): string => `${namePrefix}-postgres`;

/** The snapshot RDS takes when the instance is destroyed (database.finalSnapshot), kept on purpose. */
export const finalSnapshotIdentifier = (namePrefix: string): string =>
  `${databaseIdentifier(namePrefix)}-final`;

/** Enhanced monitoring intervals RDS accepts; 0 is off. */
export const MONITORING_INTERVALS = [0, 1, 5, 10, 15, 30, 60] as const;

const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
const TIME = "([01]\\d|2[0-3]):[0-5]\\d";
const DAILY_WINDOW = new RegExp(`^${TIME}-${TIME}$`);
const WEEKLY_WINDOW = new RegExp(`^(${DAYS.join("|")}):${TIME}-(${DAYS.join("|")}):${TIME}$`);

/** Minutes since Monday 00:00 of "ddd:hh:mm", or since midnight of "hh:mm". */
function minutesOf(point: string): number {
  const parts = point.split(":");
  const [hours, minutes] = parts.slice(-2).map(Number) as [number, number];
  const day = parts.length === 3 ? DAYS.indexOf(parts[0] as (typeof DAYS)[number]) : 0;
  return day * 1440 + hours * 60 + minutes;
}

/** Length in minutes of a daily ("hh:mm-hh:mm") or weekly window; windows may wrap around midnight or Sunday. */
export function windowMinutes(window: string, weekly: boolean): number {
  const [start, end] = window.split("-") as [string, string];
  const period = weekly ? 7 * 1440 : 1440;
  return (((minutesOf(end) - minutesOf(start)) % period) + period) % period;
}

/** True when a daily window and a weekly window share a minute. */
export function windowsOverlap(daily: string, weekly: string): boolean {
  const [dStart] = daily.split("-") as [string];
  const dLength = windowMinutes(daily, false);
  const [wStart] = weekly.split("-") as [string];
  const wLength = windowMinutes(weekly, true);
  const week = 7 * 1440;
  const w0 = minutesOf(wStart);
  for (let day = 0; day < 7; day++) {
    const d0 = day * 1440 + minutesOf(dStart);
    // Two intervals on a circle overlap when either start lies inside the other.
    const inside = (a: number, start: number, length: number) =>
      (((a - start) % week) + week) % week < length;
    if (inside(d0, w0, wLength) || inside(w0, d0, dLength)) return true;
  }
  return false;
}

/** A daily UTC window "hh:mm-hh:mm" of at least 30 minutes (RDS backups, ElastiCache snapshots). */
export const dailyWindow = check(
  'a daily UTC window "hh:mm-hh:mm" of at least 30 minutes, e.g. "03:00-04:00"',
  (v) => typeof v === "string" && DAILY_WINDOW.test(v) && windowMinutes(v, false) >= 30,
  { type: "string", pattern: DAILY_WINDOW.source },
);
/** A weekly UTC window "ddd:hh:mm-ddd:hh:mm" of at least 30 minutes (maintenance). */
export const weeklyWindow = check(
  'a weekly UTC window "ddd:hh:mm-ddd:hh:mm" of at least 30 minutes with days mon..sun, e.g. "sun:04:30-sun:05:30"',
  (v) => typeof v === "string" && WEEKLY_WINDOW.test(v) && windowMinutes(v, true) >= 30,
  { type: "string", pattern: WEEKLY_WINDOW.source },
);

/** PostgreSQL identifiers RDS accepts for the database and the master user. */
const postgresIdentifier = (what: string) =>
  check(
    `${what}: 1-63 lowercase letters, digits and underscores, starting with a letter, not starting with "rds" or "pg_" (reserved by RDS and PostgreSQL)`,
    (v) => typeof v === "string" && /^[a-z][a-z0-9_]{0,62}$/.test(v) && !/^(rds|pg_)/.test(v),
    { type: "string", pattern: "^[a-z][a-z0-9_]{0,62}$", not: { pattern: "^(rds|pg_)" } },
  );

export interface DatabaseOptions {
  /** Major PostgreSQL version; RDS applies minor upgrades in the maintenance window. @default "16" */
  readonly engineVersion?: PostgresMajorVersion;
  /** @default "db.t4g.micro" */
  readonly instanceClass?: string;
  /** @default 20 */
  readonly allocatedStorageGb?: number;
  /** Storage autoscaling grows the volume up to this. @default 100 */
  readonly maxAllocatedStorageGb?: number;
  /** A standby in another AZ. @default false */
  readonly multiAz?: boolean;
  /** @default false */
  readonly deletionProtection?: boolean;
  /** A snapshot named `<identifier>-final` when the instance is destroyed. @default true */
  readonly finalSnapshot?: boolean;
  /** @default 7 */
  readonly backupRetentionDays?: number;
  /** @default "03:00-04:00" */
  readonly backupWindow?: string;
  /** @default "sun:04:30-sun:05:30" */
  readonly maintenanceWindow?: string;
  /** Performance Insights, encrypted with the data key, 7 days (the free tier). @default true */
  readonly performanceInsights?: boolean;
  /** Enhanced monitoring interval; 0 is off. @default 60 */
  readonly enhancedMonitoringSeconds?: number;
  /** IAM database authentication: how the service logs in (always on; false is refused). @default true */
  readonly iamAuthentication?: boolean;
  /** The database user the service logs in as with IAM tokens; one-off tasks create it. @default "app_service" */
  readonly applicationUsername?: string;
  /** @default "app" */
  readonly databaseName?: string;
  /** @default "app_admin" */
  readonly masterUsername?: string;
  /** Statements slower than this are logged (log_min_duration_statement); -1 is off. @default 1000 */
  readonly slowQueryMilliseconds?: number;
}

export const DATABASE_RULES: PropRules<DatabaseOptions> = {
  engineVersion: {
    description: "Major PostgreSQL version; RDS applies minor upgrades in the maintenance window.",
    check: oneOf(POSTGRES_MAJOR_VERSIONS),
    default: "16",
  },
  instanceClass: {
    description: 'RDS instance class, e.g. "db.t4g.micro" or "db.m7g.large".',
    check: matches(/^db\.[a-z0-9-]+\.[a-z0-9]+$/, 'an RDS instance class such as "db.t4g.micro"', 40),
    default: "db.t4g.micro",
  },
  allocatedStorageGb: {
    description: "Initial storage (gp3).",
    check: integerIn(20, 65536, "GiB"),
    default: 20,
  },
  maxAllocatedStorageGb: {
    description: "Storage autoscaling grows the volume up to this.",
    check: (p) =>
      integerIn(Math.max(21, (p.allocatedStorageGb ?? 20) + 1), 65536, "GiB (above allocatedStorageGb)"),
    after: ["allocatedStorageGb"],
    documented: "an integer above allocatedStorageGb, at most 65536 GiB",
    default: 100,
  },
  multiAz: {
    description: "A synchronous standby in another AZ (required in prod).",
    check: booleanValue,
    default: false,
  },
  deletionProtection: {
    description: "RDS refuses to delete the instance (required in prod).",
    check: booleanValue,
    default: false,
  },
  finalSnapshot: {
    description:
      'Take a snapshot "<identifier>-final" when the instance is destroyed (required in prod). Delete or rename an old one before destroying again.',
    check: booleanValue,
    default: true,
  },
  backupRetentionDays: {
    description: "Days of automated backups (point-in-time recovery); at least 7 in prod.",
    check: integerIn(2, 35, "days"),
    default: 7,
  },
  backupWindow: {
    description: "Daily UTC window of automated backups.",
    check: dailyWindow,
    default: "03:00-04:00",
  },
  maintenanceWindow: {
    description: "Weekly UTC window for maintenance and minor version upgrades.",
    check: weeklyWindow,
    default: "sun:04:30-sun:05:30",
  },
  performanceInsights: {
    description:
      "Performance Insights, encrypted with the environment's data key, 7 days retention (free tier).",
    check: booleanValue,
    default: true,
  },
  enhancedMonitoringSeconds: {
    description: "Enhanced monitoring interval (OS metrics every N seconds); 0 turns it off.",
    check: oneOf(MONITORING_INTERVALS),
    default: 60,
  },
  iamAuthentication: {
    description:
      "IAM database authentication: the service logs in as applicationUsername with a token per connection, so it holds no password a rotation could make stale. Always on.",
    check: check(
      "true: the service logs in with IAM tokens and holds no password (turned off, it could not connect)",
      (v) => v === true,
      { type: "boolean", const: true },
    ),
    default: true,
  },
  applicationUsername: {
    description:
      "Database user the service logs in as (IAM authentication, no password). One-off tasks get it as DATABASE_APP_USER and create it with the rds_iam role.",
    check: postgresIdentifier("a user name"),
    default: "app_service",
  },
  databaseName: {
    description: "Name of the database created.",
    check: postgresIdentifier("a database name"),
    default: "app",
  },
  masterUsername: {
    description: "Master user; RDS keeps its password in Secrets Manager.",
    check: postgresIdentifier("a user name"),
    default: "app_admin",
  },
  slowQueryMilliseconds: {
    description: "Statements slower than this are logged (log_min_duration_statement); -1 turns it off.",
    check: integerIn(-1, 3_600_000, "ms"),
    default: 1000,
  },
};

/** The daily window `daily` and the weekly maintenance window never share a minute (AWS refuses overlaps). */
function maintenanceApartFrom<P extends { readonly maintenanceWindow?: string }>(
  daily: keyof P & string,
  what: string,
): CrossCheck<P> {
  return {
    description: `${what} and maintenance never share a minute (AWS refuses overlapping windows).`,
    reads: [daily, "maintenanceWindow"],
    check: (p, prefix): Problem[] => {
      const window = p[daily];
      return typeof window === "string" &&
        p.maintenanceWindow !== undefined &&
        windowsOverlap(window, p.maintenanceWindow)
        ? [
            {
              field: "maintenanceWindow",
              value: p.maintenanceWindow,
              allowed: `a window that does not overlap ${prefix}${daily} ("${window}")`,
            },
          ]
        : [];
    },
  };
}

export const DATABASE_GROUP: RuleGroup<DatabaseOptions> = {
  rules: DATABASE_RULES,
  crossChecks: [
    maintenanceApartFrom<DatabaseOptions>("backupWindow", "Backups"),
    {
      description: "The service's database user is not the master user (it runs without master privileges).",
      reads: ["applicationUsername", "masterUsername"],
      check: (p, prefix): Problem[] =>
        p.applicationUsername !== undefined && p.applicationUsername === p.masterUsername
          ? [
              {
                field: "applicationUsername",
                value: p.applicationUsername,
                allowed: `a user other than ${prefix}masterUsername ("${p.masterUsername}"): the service must not log in with master privileges`,
              },
            ]
          : [],
    },
  ],
};

export interface CacheOptions {
  /** @default "7.1" */
  readonly engineVersion?: RedisVersion;
  /** @default "cache.t4g.micro" */
  readonly nodeType?: string;
  /** Nodes (a primary and replicas); 2 or more turn on automatic failover and Multi-AZ. @default 1 */
  readonly nodeCount?: number;
  /** Days of daily snapshots. @default 1 */
  readonly snapshotRetentionDays?: number;
  /** @default "02:00-03:00" */
  readonly snapshotWindow?: string;
  /** A snapshot named `<replication group id>-final` when the group is destroyed. @default true */
  readonly finalSnapshot?: boolean;
  /** @default "sun:05:30-sun:06:30" */
  readonly maintenanceWindow?: string;
}

export const CACHE_RULES: PropRules<CacheOptions> = {
  engineVersion: { description: "Redis OSS version.", check: oneOf(REDIS_VERSIONS), default: "7.1" },
  nodeType: {
    description: 'ElastiCache node type, e.g. "cache.t4g.micro" or "cache.m7g.large".',
    check: matches(
      /^cache\.[a-z0-9-]+\.[a-z0-9]+$/,
      'an ElastiCache node type such as "cache.t4g.micro"',
      40,
    ),
    default: "cache.t4g.micro",
  },
  nodeCount: {
    description:
      "Nodes: a primary and its replicas; 2 or more turn on automatic failover and Multi-AZ (required in prod).",
    check: integerIn(1, 6, "nodes"),
    default: 1,
  },
  snapshotRetentionDays: {
    description: "Days of daily snapshots.",
    check: integerIn(1, 35, "days"),
    default: 1,
  },
  snapshotWindow: {
    description: "Daily UTC window of snapshots.",
    check: dailyWindow,
    default: "02:00-03:00",
  },
  finalSnapshot: {
    description:
      'Take a snapshot "<replication group id>-final" when the cache is destroyed (required in prod). Delete or rename an old one before destroying again.',
    check: booleanValue,
    default: true,
  },
  maintenanceWindow: {
    description: "Weekly UTC maintenance window.",
    check: weeklyWindow,
    default: "sun:05:30-sun:06:30",
  },
};

export const CACHE_GROUP: RuleGroup<CacheOptions> = {
  rules: CACHE_RULES,
  crossChecks: [maintenanceApartFrom<CacheOptions>("snapshotWindow", "Snapshots")],
};

/** Name of a one-off task: part of its task definition family and of its log stream prefix. */
export const oneOffTaskName = matches(
  /^[a-z][a-z0-9-]{0,22}[a-z0-9]$/,
  '2-24 lowercase letters, digits and hyphens, starting with a letter (e.g. "migrate")',
  24,
);

/** What the service sees of the data tier: variable names, fixed so applications can rely on them. */
export const DATABASE_VARIABLES = {
  host: "DATABASE_HOST",
  port: "DATABASE_PORT",
  name: "DATABASE_NAME",
  user: "DATABASE_USER",
  /** "iam" for the service (a token per connection), "password" for one-off tasks. */
  auth: "DATABASE_AUTH",
  /** One-off tasks only: the master password, from the secret RDS manages and rotates. */
  password: "DATABASE_PASSWORD",
  /** One-off tasks only: the user the service logs in as, for the migration to create and grant. */
  applicationUser: "DATABASE_APP_USER",
} as const;
export const CACHE_VARIABLES = {
  host: "REDIS_HOST",
  port: "REDIS_PORT",
  user: "REDIS_USER",
  tls: "REDIS_TLS",
} as const;
