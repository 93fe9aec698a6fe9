import { describe, expect, it } from 'vitest';
import {
  ASSESSMENT_STATE_LABELS,
  ASSESSMENT_STATES,
  AssessmentStateSchema,
  ROLE_LABELS,
  ROLES,
  SUBJECT_TYPE_LABELS,
  SUBJECT_TYPES,
  TITLE_LABELS,
} from './labels.ts';
import { SubjectTypeSchema } from '../criteria/subject-types.ts';

describe('Vietnamese labels', () => {
  it('label every code of every enum', () => {
    expect(Object.keys(SUBJECT_TYPE_LABELS).sort()).toEqual([...SUBJECT_TYPES].sort());
    expect(Object.keys(TITLE_LABELS).sort()).toEqual([...SUBJECT_TYPES].sort());
    expect(Object.keys(ASSESSMENT_STATE_LABELS).sort()).toEqual([...ASSESSMENT_STATES].sort());
    expect(Object.keys(ROLE_LABELS).sort()).toEqual([...ROLES].sort());
  });

  it('use the workflow wording with diacritics', () => {
    expect(ASSESSMENT_STATE_LABELS.returned).toBe('Trả lại để bổ sung');
    expect(ASSESSMENT_STATE_LABELS.not_recognised).toBe('Không được công nhận');
    expect(SUBJECT_TYPE_LABELS.community).toBe('Cộng đồng (ấp/khóm)');
    expect(ROLE_LABELS.leader).toBe('Tổ trưởng');
  });

  it('zod enums accept the codes and reject others', () => {
    expect(AssessmentStateSchema.safeParse('appealed').success).toBe(true);
    expect(AssessmentStateSchema.safeParse('approved').success).toBe(false);
    expect(SubjectTypeSchema.safeParse('clan').success).toBe(true);
  });
});
