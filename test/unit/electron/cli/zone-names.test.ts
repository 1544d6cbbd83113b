// Zone abbreviations from the system's zone files, as tshark prints them after frame.time (checked
// with `TZ=… tshark -T fields -e frame.time` on the sample capture, winter and summer).
import { afterEach, describe, expect, it } from 'vitest';
import { systemZoneNames } from '../../../../electron/cli/zone-names.js';
import { formatAbsTime, setZoneNameProvider } from '../../../../core/fields/format.js';

const saved = process.env.TZ;
afterEach(() => {
  if (saved === undefined) delete process.env.TZ; else process.env.TZ = saved;
  setZoneNameProvider(null);
});

function nameIn(tz: string, utc: Date): string | undefined {
  process.env.TZ = tz;
  return systemZoneNames()?.(utc);
}

describe('zone names', () => {
  it('match strftime %Z where Intl would say GMT+8', () => {
    expect(nameIn('Asia/Shanghai', new Date(Date.UTC(2026, 10, 25, 9)))).toBe('CST');
    expect(nameIn('Europe/Paris', new Date(Date.UTC(2026, 10, 25, 9)))).toBe('CET');
    expect(nameIn('Europe/Paris', new Date(Date.UTC(2026, 5, 16, 9)))).toBe('CEST');
    expect(nameIn('America/New_York', new Date(Date.UTC(2026, 5, 16, 9)))).toBe('EDT');
    expect(nameIn('Asia/Kolkata', new Date(Date.UTC(2026, 5, 16, 9)))).toBe('IST');
    expect(nameIn('UTC', new Date(0))).toBe('UTC');
  });

  it('frame.time in China reads as tshark prints it', () => {
    process.env.TZ = 'Asia/Shanghai';
    setZoneNameProvider(systemZoneNames());
    expect(formatAbsTime(1795599021670635000n)).toBe('Nov 25, 2026 17:30:21.670635000 CST');
  });

  it('an unreadable zone is no error: Intl names are used instead', () => {
    expect(nameIn('No/Such_Zone', new Date(0))).toBeUndefined();
  });
});
