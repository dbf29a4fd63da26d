/** Removes the temporary root global-setup created (see there). */
import { rmSync } from "node:fs";

export default function globalTeardown(): void {
  const root = process.env.JEST_TEMP_ROOT;
  if (root !== undefined) rmSync(root, { recursive: true, force: true });
}
