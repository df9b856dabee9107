/**
 * Starting a deployment from nothing, with firebase-admin (no callable can do it: every callable
 * needs a caller who is already staff).
 *
 *   npm run admin:regions -- --file divisions.csv   (--local | --project ID)
 *     loads the division table (`code,name` lines, codes as the national table gives them) of the
 *     area the deployment covers: appointments and the region pickers read it.
 *   npm run admin:first -- --role county_admin --region 520526 --phone +8613800000000 --name 张三
 *     (--local | --project ID)
 *     makes the first account: the same staff record, seat and claims appointStaff writes. It
 *     refuses once anyone is active staff; after that, people appoint people in the client.
 *     Running it again for the same person, role and region is harmless (a retry after a failure).
 *
 * --local reaches a running local platform (FIRESTORE_EMULATOR_HOST / FIREBASE_AUTH_EMULATOR_HOST
 * when set, else those of --base-port N, else npm start's default ports); --project ID reaches a
 * real Firebase project with the credentials in GOOGLE_APPLICATION_CREDENTIALS.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { initializeApp } from 'firebase-admin/app';
import { HttpsError } from 'firebase-functions/v2/https';
import { householdsInputs } from '../src/contract/households';
import { staffDocs } from '../src/data/households';
import { claimsAreConsistent, isStaffRole, roleLabels } from '../src/domain/roles';
import { personNameSchema } from '../src/domain/validation/text';
import { loadDivisions, parseDivisions } from '../src/services/divisions';
import { appoint, firstAccountAppointer } from '../src/services/staff';

/** The local platform's project (functions/local/platform.ts). */
const localProjectId = 'demo-fupin';

class Refused extends Error {}

function connect(values: { local?: boolean; project?: string; 'base-port'?: string }): string {
  if (values.local && values.project) throw new Refused('--local 与 --project 只能选一个');
  if (values.project) {
    if (process.env.FIRESTORE_EMULATOR_HOST || process.env.FIREBASE_AUTH_EMULATOR_HOST)
      throw new Refused(
        '环境中设置了 FIRESTORE_EMULATOR_HOST 或 FIREBASE_AUTH_EMULATOR_HOST：对真实项目操作前请取消它们',
      );
    if (!process.env.GOOGLE_APPLICATION_CREDENTIALS)
      throw new Refused('请用 GOOGLE_APPLICATION_CREDENTIALS 指定服务账号密钥文件');
    initializeApp({ projectId: values.project });
    return values.project;
  }
  if (!values.local) throw new Refused('请指明对象：--local（本地平台）或 --project 项目ID');
  const base = values['base-port'] ? Number(values['base-port']) : undefined;
  if (base !== undefined && !Number.isInteger(base)) throw new Refused('--base-port 应为端口号');
  // An explicit --base-port wins over whatever emulator the shell was pointed at before.
  if (base !== undefined) {
    process.env.FIRESTORE_EMULATOR_HOST = `127.0.0.1:${base}`;
    process.env.FIREBASE_AUTH_EMULATOR_HOST = `127.0.0.1:${base + 1}`;
  }
  process.env.FIRESTORE_EMULATOR_HOST ??= '127.0.0.1:8080';
  process.env.FIREBASE_AUTH_EMULATOR_HOST ??= '127.0.0.1:9099';
  initializeApp({ projectId: localProjectId });
  return localProjectId;
}

const connectionOptions = {
  local: { type: 'boolean' },
  project: { type: 'string' },
  'base-port': { type: 'string' },
} as const;

async function regions(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { ...connectionOptions, file: { type: 'string' } },
  });
  if (!values.file) throw new Refused('请用 --file 指定区划表（每行：代码,名称）');
  const { divisions, problems } = parseDivisions(readFileSync(values.file, 'utf8'));
  if (problems.length > 0) {
    for (const problem of problems.slice(0, 20))
      console.error(
        `第 ${problem.line} 行：${problem.code === 'division_code' ? '区划代码有误' : '名称为空或过长'}`,
      );
    throw new Refused(`区划表有 ${problems.length} 行有误，未写入任何内容`);
  }
  const project = connect(values);
  const loaded = await loadDivisions(divisions);
  process.stdout.write(`loaded ${loaded} divisions into ${project}\n`);
}

async function first(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      ...connectionOptions,
      role: { type: 'string' },
      region: { type: 'string', default: '' },
      phone: { type: 'string' },
      name: { type: 'string' },
    },
  });
  const { role, region } = values;
  if (!isStaffRole(role))
    throw new Refused(
      `--role 应为其中之一：ops, province_admin, city_admin, county_admin, township_admin, village_admin, helper`,
    );
  if (!claimsAreConsistent(role, region))
    throw new Refused(
      role === 'ops'
        ? '运维（ops）覆盖全国，不带 --region'
        : `--region 应为${roleLabels[role]}所在地区的代码（省 2 位、市 4 位、县 6 位、乡镇 9 位、村 12 位）`,
    );
  const phone = householdsInputs.appointStaff.shape.phone.safeParse(values.phone);
  if (!phone.success) throw new Refused('--phone 应为 +86 开头的手机号，如 +8613800000000');
  const name = personNameSchema.safeParse(values.name);
  if (!name.success) throw new Refused('--name 应为此人的姓名');
  const project = connect(values);

  const active = await staffDocs().where('active', '==', true).limit(10).get();
  const others = active.docs.filter((doc) => {
    const staff = doc.data();
    return !(staff.phone === phone.data && staff.role === role && staff.regionCode === region);
  });
  if (others.length > 0)
    throw new Refused(
      '平台上已有在职工作人员：首个账号只能在空平台上创建，之后请由上级在客户端任命（appointStaff）',
    );
  // The same person, role and region always make the same request: a retry replays it.
  const requestId = createHash('sha256')
    .update(`${phone.data}|${role}|${region}`)
    .digest('hex')
    .slice(0, 32);
  try {
    const result = await appoint(firstAccountAppointer, requestId, {
      phone: phone.data,
      name: name.data,
      role,
      regionCode: region,
    });
    process.stdout.write(
      `first account in ${project}: ${roleLabels[role]} ${region || '(全国)'} uid ${result.uid}` +
        `${result.seat ? ` seat ${result.seat}` : ''}; signs in with ${phone.data} and an SMS code\n`,
    );
  } catch (error) {
    if (error instanceof HttpsError && error.message === '该地区不在平台上')
      throw new Refused(`地区 ${region} 不在区划表中：请先用 npm run admin:regions 载入区划表`);
    if (error instanceof HttpsError) throw new Refused(error.message);
    throw error;
  }
}

const commands: Record<string, (args: string[]) => Promise<void>> = { first, regions };

async function main(): Promise<void> {
  const [command = '', ...args] = process.argv.slice(2);
  const run = commands[command];
  if (!run) throw new Refused('用法：admin.ts first|regions …（见 README：真实部署如何开始）');
  await run(args);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Refused ? `ERROR ${error.message}` : error);
    process.exit(error instanceof Refused ? 2 : 1);
  },
);
