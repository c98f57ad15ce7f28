import type { OnnxGraphBuilder } from "./onnx-builder";
import type { HostTensor, TfjsNode } from "./tfjs-model";

/** What an op handler sees while converting one TF node. */
export interface ConvertContext {
  readonly b: OnnxGraphBuilder;
  readonly node: TfjsNode;
  /** Number of data (non-control) inputs. */
  readonly inputCount: number;
  /** ONNX value for data input i; a Const input becomes an initializer on first use. */
  input(i: number): string;
  /** Value of data input i when it is a constant (through Identity chains); throws otherwise. */
  constInput(i: number): HostTensor;
  isConstInput(i: number): boolean;
  /** Name the handler must give its (single) final output. */
  readonly out: string;
}

export type OpHandler = (ctx: ConvertContext) => void;

export class UnsupportedOpError extends Error {
  constructor(node: TfjsNode, why: string) {
    super(`cannot convert ${node.op} (${node.name}): ${why}`);
    this.name = "UnsupportedOpError";
  }
}
