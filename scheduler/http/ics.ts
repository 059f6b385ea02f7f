/** iCalendar (RFC 5545) feed of a station's bookings, for station operators. */
import { DateTime } from 'luxon';
import type { Booking } from '../domain/booking.js';
import { expectedSecureBitsWeather } from '../domain/candidate.js';

/** RFC 5545 UTC date-time, e.g. 20220810T003746Z. */
const stamp = (ms: number) => DateTime.fromMillis(ms, { zone: 'utc' }).toFormat("yyyyMMdd'T'HHmmss'Z'");
const escape = (t: string) => t.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\n/g, '\\n');
/** Folds content lines at 75 octets (RFC 5545 section 3.1). */
const fold = (line: string) => line.match(/.{1,73}/g)!.join('\r\n ');

export function bookingsToIcs(stationId: string, bookings: Booking[], nowMs: number): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//qkdsat//scheduler//EN',
    'CALSCALE:GREGORIAN',
    `X-WR-CALNAME:${escape(`qkdsat passes ${stationId}`)}`,
  ];
  for (const b of bookings) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${b.id}@qkdsat`,
      `DTSTAMP:${stamp(nowMs)}`,
      `DTSTART:${stamp(b.startMs)}`,
      `DTEND:${stamp(b.endMs)}`,
      `SUMMARY:${escape(`QKD pass NORAD ${b.noradId} (${b.state})`)}`,
      `DESCRIPTION:${escape(
        `expectedSecureBits ${Math.round(b.expectedSecureBits)} (if the sky is clear); ` +
          `expectedSecureBitsWeather ${expectedSecureBitsWeather(b)} ` +
          `(times clear-sky probability ${b.clearSkyProbability}); ${b.reason}`,
      )}`,
      `STATUS:${b.state === 'CANCELLED' || b.state === 'SUPERSEDED' ? 'CANCELLED' : 'CONFIRMED'}`,
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return lines.map(fold).join('\r\n') + '\r\n';
}
