import { COURIERS, COURIER_NAMES, type Courier } from '../../shared/domain/index.ts';

/** The couriers by their printed names; `any` adds a first "all couriers" choice (a filter). */
export function CourierSelect<T extends Courier | null>({
  value,
  onChange,
  any,
}: {
  value: T;
  onChange: (c: T) => void;
  any?: string;
}) {
  return (
    <select value={value ?? ''} onChange={(e) => onChange((e.target.value || null) as T)}>
      {any !== undefined ? <option value="">{any}</option> : null}
      {COURIERS.map((c) => (
        <option key={c} value={c}>
          {COURIER_NAMES[c]}
        </option>
      ))}
    </select>
  );
}
