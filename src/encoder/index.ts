/**
 * Public face of the encoder. The assembler core calls only these functions.
 * (Placeholder until the table-driven encoder lands: knows no instruction.)
 */
import type { EncodeContext, EncodeResult, InstructionRequest } from './types.js';

export function isMnemonic(_name: string): boolean {
  return false;
}

export function isInstructionPrefix(_name: string): boolean {
  return false;
}

export function encodeInstruction(_req: InstructionRequest, _ctx: EncodeContext): EncodeResult {
  return { ok: false, error: 'invalid combination of opcode and operands' };
}
