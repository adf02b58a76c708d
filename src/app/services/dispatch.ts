/**
 * One entry point for every transport: validate the call's input against the contract, run the handler,
 * and wrap the outcome in the `CallResult` envelope. Electron IPC and the web bridge both call `dispatch`,
 * so validation and error mapping cannot differ between them.
 */
import {
  calls,
  isCallName,
  type CallName,
  type CallOutput,
  type CallParsedInput,
  type CallResult,
} from '../../shared/contract'
import { InputError, toErrorData } from '../../shared/errors'

export type Handler<N extends CallName> = (
  input: CallParsedInput<N>,
) => Promise<CallOutput<N>> | CallOutput<N>

export type Handlers = { [N in CallName]: Handler<N> }

export type Dispatch = (name: string, rawInput: unknown) => Promise<CallResult<CallName>>

export interface DispatchOptions {
  /** Called with every error that is not the user's (bugs, the machine); input errors are not logged. */
  onInternalError?: (name: string, err: unknown) => void
}

/** Validates `rawInput` for call `name` and throws an `InputError` naming the offending field. */
export function parseCallInput<N extends CallName>(name: N, rawInput: unknown): CallParsedInput<N> {
  const parsed = calls[name].input.safeParse(rawInput ?? {})
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const field = issue?.path.length ? issue.path.join('.') : 'input'
    throw new InputError('call.invalid_argument', `Invalid argument "${field}" for ${name}: ${issue?.message ?? 'invalid'}`, {
      expected: issue?.message,
      params: { call: name, field },
    })
  }
  return parsed.data as CallParsedInput<N>
}

export function createDispatch(handlers: Handlers, options: DispatchOptions = {}): Dispatch {
  return async (name, rawInput) => {
    try {
      if (!isCallName(name)) {
        throw new InputError('call.unknown', `There is no call named "${name}".`, { found: name })
      }
      const input = parseCallInput(name, rawInput)
      const handler = handlers[name] as Handler<typeof name>
      const value = await handler(input as never)
      return { ok: true, value } as CallResult<CallName>
    } catch (err) {
      const error = toErrorData(err)
      if (error.kind === 'internal') options.onInternalError?.(name, err)
      return { ok: false, error }
    }
  }
}
