import { checkImports, checkTree } from './support/boundaries';

describe('the layering of src/', () => {
  it('has no import that crosses a boundary', () => {
    expect(checkTree()).toEqual([]);
  });

  it('catches the core importing an adapter', () => {
    const violations = checkImports(
      'core/lesson.ts',
      "import { MeetRooms } from '../adapters/meet-rooms';\n",
    );
    expect(violations).toEqual([
      {
        file: 'core/lesson.ts',
        imports: '../adapters/meet-rooms',
        rule: 'core may not import adapters',
      },
    ]);
  });

  it('catches a use case importing the UI or a package', () => {
    expect(
      checkImports('app/monitor.ts', "import { homepageCard } from '../ui/home-card';\n"),
    ).toHaveLength(1);
    expect(checkImports('app/monitor.ts', "import lodash from 'lodash';\n")).toHaveLength(1);
  });

  it('keeps adapters off the use-case layer: the ports they implement live in the core', () => {
    expect(
      checkImports('adapters/ops-log.ts', "import type { OpsLog } from '../core/ports';\n"),
    ).toEqual([]);
    expect(
      checkImports('adapters/ops-log.ts', "import type { OpsLog } from '../app/deps';\n"),
    ).toHaveLength(1);
    expect(
      checkImports('adapters/x.ts', "import { runMonitor } from '../app/monitor';\n"),
    ).toHaveLength(1);
  });
});
