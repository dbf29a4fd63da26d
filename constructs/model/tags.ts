/** Tags: the default tags every resource gets, and the extra tags a user may add. */
import { MAX_TAGS_PER_RESOURCE, tagKey, tagValue } from "./aws-limits";
import { check, mapOf } from "./checks";

/** Tags the stacks put on every resource (provider default tags); they would override a user's. */
export const DEFAULT_TAG_KEYS = ["Project", "Environment", "ManagedBy", "Repository"] as const;
/** Tags constructs set on some resources; a user tag of the same key would silently lose there. */
export const RESOURCE_TAG_KEYS = ["Name", "Tier", "Flow"] as const;
const RESERVED = [...DEFAULT_TAG_KEYS, ...RESOURCE_TAG_KEYS].map((k) => k.toLowerCase());

/** At most this many extra tags, so that no resource exceeds AWS's 50 with the stacks' own tags. */
export const MAX_USER_TAGS = MAX_TAGS_PER_RESOURCE - DEFAULT_TAG_KEYS.length - 2;

export const userTagKey = check(
  `${tagKey.allowed}, other than the tags the stacks set (${[...DEFAULT_TAG_KEYS, ...RESOURCE_TAG_KEYS].join(", ")}, in any case)`,
  (v) => tagKey.test(v) && typeof v === "string" && !RESERVED.includes(v.toLowerCase()) && v !== "__proto__",
);

/** Extra tags on every resource. */
export const userTags = mapOf(userTagKey, tagValue, { maxEntries: MAX_USER_TAGS });
