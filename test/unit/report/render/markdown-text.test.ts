import { inlineText, tableText } from '../../../../src/report/render/markdown-text.js';

describe('Markdown text without HTML entities', () => {
  it('escapes angle brackets and backslashes with backslashes', () => {
    expect(inlineText('restore < 30 min, see <script>')).toBe('restore \\< 30 min, see \\<script\\>');
    expect(inlineText('C:\\temp')).toBe('C:\\\\temp');
  });

  it('keeps a table cell on one line with its pipes escaped', () => {
    expect(tableText('a | b\n  c')).toBe('a \\| b c');
    expect(tableText('x & y')).toBe('x & y');
  });
});
