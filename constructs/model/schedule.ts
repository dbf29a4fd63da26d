/**
 * EventBridge Scheduler's schedule expressions and time zones, checked as the service reads them,
 * so a job with a schedule it would refuse fails at synth.
 */
import { check } from "./checks";
import type { Check } from "./checks";

const RATE = /^rate\((\d+) (minutes?|hours?|days?)\)$/;
const AT = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/;
const CRON_FIELD = {
  minutes: /^(\*|\d{1,2}(-\d{1,2})?(\/\d{1,2})?)(,(\d{1,2}(-\d{1,2})?(\/\d{1,2})?))*$/,
  hours: /^(\*|\d{1,2}(-\d{1,2})?(\/\d{1,2})?)(,(\d{1,2}(-\d{1,2})?(\/\d{1,2})?))*$/,
  dayOfMonth: /^(\*|\?|L|LW|\d{1,2}W|(\d{1,2}(-\d{1,2})?(\/\d{1,2})?)(,\d{1,2}(-\d{1,2})?(\/\d{1,2})?)*)$/,
  month:
    /^(\*|((\d{1,2}|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)(-(\d{1,2}|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC))?(\/\d{1,2})?)(,(\d{1,2}|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)(-(\d{1,2}|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC))?)*)$/i,
  dayOfWeek:
    /^(\*|\?|[1-7]L|[1-7]#[1-5]|((\d|SUN|MON|TUE|WED|THU|FRI|SAT)(-(\d|SUN|MON|TUE|WED|THU|FRI|SAT))?)(,(\d|SUN|MON|TUE|WED|THU|FRI|SAT)(-(\d|SUN|MON|TUE|WED|THU|FRI|SAT))?)*)$/i,
  year: /^(\*|\d{4}(-\d{4})?(\/\d{1,3})?(,\d{4}(-\d{4})?)*)$/,
};
const SCHEDULE_ALLOWED =
  "an EventBridge Scheduler expression: rate(5 minutes), cron(0 3 * * ? *) (six fields, ? in day-of-month or day-of-week) or at(2027-01-01T00:00:00)";
const NUMBERS_IN = (field: string) => (field.match(/\d+/g) ?? []).map(Number);

/**
 * Why a schedule expression is not one EventBridge Scheduler accepts (its documented syntax:
 * rate with a singular unit for 1, six cron fields with `?` in day-of-month or day-of-week, a
 * one-time at), or undefined when it is.
 */
export function scheduleProblem(value: unknown): string | undefined {
  if (typeof value !== "string") return SCHEDULE_ALLOWED;
  const rate = RATE.exec(value);
  if (rate) {
    const [, amount = "0", unit = ""] = rate;
    if (Number(amount) < 1) return "a rate of at least 1";
    if ((Number(amount) === 1) !== !unit.endsWith("s")) {
      return `"rate(1 ${unit.replace(/s$/, "")})" for one, a plural unit for more`;
    }
    return undefined;
  }
  const at = AT.exec(value);
  if (at) {
    const [, y, mo, d, h, mi, se] = at;
    const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${se}Z`);
    const real = !Number.isNaN(date.getTime()) && date.getUTCDate() === Number(d);
    return real ? undefined : "a real date and time in at(yyyy-mm-ddThh:mm:ss)";
  }
  const cron = /^cron\((.*)\)$/.exec(value);
  if (!cron) return "rate(<n> <unit>), cron(<6 fields>) or at(<yyyy-mm-ddThh:mm:ss>)";
  const fields = (cron[1] ?? "").trim().split(/\s+/);
  if (fields.length !== 6) {
    return `six cron fields (minutes hours day-of-month month day-of-week year); got ${fields.length}`;
  }
  const patterns = Object.entries(CRON_FIELD);
  for (const [i, field] of fields.entries()) {
    const [name, pattern] = patterns[i] ?? ["", /^$/];
    if (!pattern.test(field)) return `a valid ${name} cron field (got "${field}")`;
  }
  const [minutes = "", hours = "", dayOfMonth = "", , dayOfWeek = ""] = fields;
  if (NUMBERS_IN(minutes).some((n) => n > 59)) return "minutes from 0 to 59";
  if (NUMBERS_IN(hours).some((n) => n > 23)) return "hours from 0 to 23";
  if (NUMBERS_IN(dayOfMonth).some((n) => n < 1 || n > 31)) return "days of the month from 1 to 31";
  if ((dayOfMonth === "?") === (dayOfWeek === "?")) {
    return "a ? in exactly one of day-of-month and day-of-week (cron(0 3 * * ? *) runs daily at 03:00)";
  }
  return undefined;
}

export const scheduleExpression: Check = check(
  SCHEDULE_ALLOWED,
  (v) => scheduleProblem(v) === undefined,
  { type: "string" },
  (v) => {
    const problem = scheduleProblem(v);
    return problem === undefined ? [] : [{ at: "", value: v, allowed: problem }];
  },
);

const TIME_ZONES = new Set(["UTC", ...Intl.supportedValuesOf("timeZone")]);
export const timeZone = check('an IANA time zone such as "UTC" or "Europe/Dublin"', (v) =>
  TIME_ZONES.has(v as string),
);
