import { z } from 'zod';
import { keyPath, parseValidatedYaml } from '../../../src/report/validated-yaml.js';

const schema = z.strictObject({
  items: z.array(z.strictObject({ name: z.string({ error: 'expects a name' }) })),
  required: z.number({ error: 'expects a number' }),
});

describe('parseValidatedYaml', () => {
  it('returns the validated value', () => {
    expect(parseValidatedYaml(schema, 'items: [{ name: a }]\nrequired: 1\n', 'file.yml')).toEqual({
      items: [{ name: 'a' }],
      required: 1,
    });
  });

  it('names the file and the key path in one line', () => {
    expect(() =>
      parseValidatedYaml(schema, 'items: [{ name: a }, { name: 2 }]\nrequired: 1\n', 'file.yml'),
    ).toThrow(new Error('file.yml: items[1].name: expects a name'));
  });

  it('names a misspelt key before the required key it stands for', () => {
    expect(() => parseValidatedYaml(schema, 'items: []\nrequird: 1\n', 'file.yml')).toThrow(
      new Error('file.yml: (top level): unknown key requird'),
    );
  });

  it('reports YAML syntax errors on one line', () => {
    let message = '';
    try {
      parseValidatedYaml(schema, 'items: [\n  - a\n', 'file.yml');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^file\.yml: not valid YAML: \S/);
    expect(message).not.toContain('\n');
  });
});

describe('keyPath', () => {
  it('writes a path as a reader does', () => {
    expect(keyPath(['test-types', 2, 'criteria', 'max-restore-minutes'])).toBe(
      'test-types[2].criteria.max-restore-minutes',
    );
    expect(keyPath([])).toBe('');
  });
});
