/**
 * The services' event bus: everything the UI hears about without asking (job progress, a renamed project).
 * Events are typed by the contract's `events`; each transport (Electron IPC, the web bridge's WebSocket)
 * subscribes once and forwards every event. A listener that throws is a bug in that listener: it is
 * reported to `onListenerError` and does not stop the other listeners.
 */
import type { EventName, EventPayload } from '../../shared/contract'

export interface BusEvent<E extends EventName = EventName> {
  event: E
  payload: EventPayload<E>
}

export type EventListener = (event: BusEvent) => void

export class EventBus {
  private readonly listeners = new Set<EventListener>()

  constructor(private readonly onListenerError: (err: unknown) => void = (err) => console.error(err)) {}

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const listener of [...this.listeners]) {
      try {
        listener({ event, payload } as BusEvent)
      } catch (err) {
        this.onListenerError(err)
      }
    }
  }

  /** Adds a listener for every event; returns the function that removes it. */
  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener)
    return () => {
      this.listeners.delete(listener)
    }
  }

  get listenerCount(): number {
    return this.listeners.size
  }
}
