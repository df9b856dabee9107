/**
 * The division table (`regions/{code}`): reference data every deployment loads for the area it
 * covers, before its first account is made (`npm run admin:regions`). Appointments, the region
 * pickers, the rates and the exports all read names from it.
 */
import { regionDocs } from '../data/households';
import { ancestorsOf, codeLengthOf, levelOfCode, regionLevels } from '../domain/regions';
import { db } from './db';

export interface Division {
  code: string;
  name: string;
}

/**
 * A code as stored: the national table (统计用区划代码) pads every level to 12 digits
 * (`520526000000` is a county), the platform keys a division by its own level's prefix (`520526`).
 */
export function divisionCodeOf(raw: string): string | undefined {
  const code = raw.trim();
  if (levelOfCode(code) === undefined) return undefined;
  if (code.length !== 12) return code;
  for (const level of regionLevels) {
    const length = codeLengthOf[level];
    if (/^0*$/.test(code.slice(length))) return code.slice(0, length);
  }
  return code;
}

export interface DivisionProblem {
  line: number;
  code: 'division_code' | 'division_name';
}

/** `code,name` lines (a header line and blank lines are skipped), as the national table is published. */
export function parseDivisions(text: string): {
  divisions: Division[];
  problems: DivisionProblem[];
} {
  const divisions: Division[] = [];
  const problems: DivisionProblem[] = [];
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((line, index) => {
      const [rawCode = '', ...rest] = line.split(',');
      const name = rest.join(',').trim();
      if (line.trim() === '' || (index === 0 && !/^\s*\d/.test(rawCode))) return;
      const code = divisionCodeOf(rawCode);
      if (!code) problems.push({ line: index + 1, code: 'division_code' });
      else if (name === '' || name.length > 60)
        problems.push({ line: index + 1, code: 'division_name' });
      else divisions.push({ code, name });
    });
  return { divisions, problems };
}

/**
 * Writes the divisions (merged, so a village's receiving address survives a reload). Full names
 * are built from the ancestors' names, taken from the same list or from the table already loaded.
 */
export async function loadDivisions(divisions: readonly Division[]): Promise<number> {
  const names = new Map(divisions.map((division) => [division.code, division.name]));
  const missing = [...new Set(divisions.flatMap((division) => ancestorsOf(division.code)))].filter(
    (code) => !names.has(code),
  );
  if (missing.length > 0) {
    const stored = await db().getAll(...missing.map((code) => regionDocs().doc(code)));
    for (const snapshot of stored) {
      const region = snapshot.data();
      if (region) names.set(region.code, region.name);
    }
  }
  for (let i = 0; i < divisions.length; i += 400) {
    const batch = db().batch();
    for (const { code, name } of divisions.slice(i, i + 400)) {
      const fullName = [...ancestorsOf(code).reverse(), code]
        .map((each) => names.get(each) ?? '')
        .join('');
      batch.set(
        regionDocs().doc(code),
        {
          code,
          name,
          fullName,
          level: levelOfCode(code) as NonNullable<ReturnType<typeof levelOfCode>>,
          parentCode: ancestorsOf(code)[0] ?? null,
        },
        { merge: true },
      );
    }
    await batch.commit();
  }
  return divisions.length;
}
