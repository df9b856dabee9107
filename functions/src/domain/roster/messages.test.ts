import { fileProblemText } from './messages';
import type { FileProblemCode } from './result';

describe('fileProblemText', () => {
  const codes: FileProblemCode[] = [
    'file_too_large',
    'file_unreadable',
    'header_not_found',
    'column_missing',
    'column_duplicate',
    'no_rows',
    'too_many_rows',
    'table_too_long',
    'table_too_wide',
    'too_many_merges',
  ];

  test.each(codes)('%s reads in Chinese', (code) => {
    expect(fileProblemText({ code, column: 'idNumber', limit: 10_000 })).toMatch(/[\u4e00-\u9fff]/);
  });

  it('names the column and the limit', () => {
    expect(fileProblemText({ code: 'column_missing', column: 'causes' })).toBe('缺少“致贫原因”列');
    expect(fileProblemText({ code: 'table_too_long', limit: 10_000 })).toContain('10000 行');
    expect(fileProblemText({ code: 'too_many_merges', limit: 100_000 })).toContain(
      '合并单元格超过 100000 处',
    );
  });
});
