/** The shape of a synthesized cdk.tf.json, as far as the policy rules and tests read it (blocks are free-form JSON). */
export type Block = Record<string, any>;

export interface TerraformJson {
  terraform: Block;
  provider: Block;
  resource: Record<string, Record<string, Block>>;
  data?: Record<string, Record<string, Block>>;
  output?: Record<string, Block>;
  variable?: Record<string, Block>;
  locals?: Block;
}
