import { useEffect, useState } from 'react';
import { ZONE } from '../../domain/time';

/** The current time, ticking every `ms`. */
export function useClock(ms = 1000) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}

const fmt = new Intl.DateTimeFormat('zh-CN', {
  timeZone: ZONE,
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});
const fmtDate = new Intl.DateTimeFormat('sv-SE', { timeZone: ZONE });

/** 24-hour local time, HH:MM:SS */
export const hms = (ms: number) => fmt.format(ms);
/** local date, YYYY-MM-DD */
export const ymd = (ms: number) => fmtDate.format(ms);
