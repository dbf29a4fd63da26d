import { useFastResolve } from "../../stacks/app/fast-resolve";
import { skipTokenCreationTraces } from "../../stacks/app/token-traces";

// As in the app: the tests synthesize hundreds of stacks, and real errors keep their stacks.
skipTokenCreationTraces();
useFastResolve();
