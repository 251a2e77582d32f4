import { describe, expect, it } from 'vitest';
import { authorshipProblem, bangkokDate, eventDateProblem } from './provenance.ts';

const noon = new Date('2026-11-28T05:00:00Z'); // 12:00 in Bangkok

describe('event dates', () => {
  it('refuses "วันที่ก่อน 2000-01-01 ไม่น่าเป็นไปได้": a follow-up dated 1999', () => {
    expect(eventDateProblem({ type: 'followup', visitDate: '1999-12-31' }, noon)).toMatch(/^visitDate: วันที่ก่อน 2000-01-01/);
  });
  it('refuses "วันที่อยู่ในอนาคต": an interview dated 2099, and a non-compliance two days ahead', () => {
    expect(eventDateProblem({ type: 'care01', interviewDate: '2099-01-01' }, noon)).toMatch(/^interviewDate: วันที่อยู่ในอนาคต/);
    expect(eventDateProblem({ type: 'noncompliance', occurredOn: '2026-11-30' }, noon)).toMatch(/after 2026-11-29/);
  });
  it('refuses "เวลาที่บันทึกอยู่ในอนาคต": a follow-up visit and its recording stamped 2099', () => {
    expect(eventDateProblem({ type: 'followup', visitDate: '2026-11-28', recordedAt: '2099-01-01T00:00:00Z' }, noon)).toMatch(
      /^recordedAt: เวลาที่บันทึกอยู่ในอนาคต/
    );
  });
  it('accepts today and tomorrow in Bangkok, 2000-01-01, and types without an event date', () => {
    expect(eventDateProblem({ type: 'followup', visitDate: '2026-11-29' }, noon)).toBeNull();
    expect(eventDateProblem({ type: 'followup', visitDate: '2000-01-01' }, noon)).toBeNull();
    expect(eventDateProblem({ type: 'person', dateOfBirth: '1950-01-01' }, noon)).toBeNull();
  });
  it('counts days in Bangkok time: 23:30 UTC is already the next day', () => {
    expect(bangkokDate(new Date('2026-11-28T23:30:00Z'))).toBe('2026-11-29');
    expect(eventDateProblem({ type: 'followup', visitDate: '2026-11-30' }, new Date('2026-11-28T23:30:00Z'))).toBeNull();
  });
});

describe('authorship', () => {
  const doc = (createdBy: string, updatedBy: string) => ({ type: 'person', createdBy, updatedBy });
  it('refuses "ต้องเป็นชื่อผู้ใช้ที่ส่งข้อมูล": updatedBy naming someone else', () => {
    expect(authorshipProblem(doc('officer.a', 'officer.b'), 'officer.a', null)).toMatch(
      /^updatedBy: ต้องเป็นชื่อผู้ใช้ที่ส่งข้อมูล \(officer\.a\)/
    );
  });
  it('refuses "ระเบียนใหม่ต้องบันทึกในชื่อของผู้ส่ง": a new record credited to another user', () => {
    expect(authorshipProblem(doc('officer.b', 'officer.a'), 'officer.a', null)).toMatch(/^createdBy: ระเบียนใหม่ต้องบันทึกในชื่อของผู้ส่ง/);
  });
  it('refuses "ผู้สร้างระเบียนเปลี่ยนไม่ได้": rewriting the author of a stored record', () => {
    expect(authorshipProblem(doc('officer.a', 'officer.a'), 'officer.a', 'officer.c')).toMatch(
      /^createdBy: ผู้สร้างระเบียนเปลี่ยนไม่ได้ \(officer\.c\)/
    );
  });
  it("accepts a new record by its sender, and another officer's edit that keeps the author", () => {
    expect(authorshipProblem(doc('officer.a', 'officer.a'), 'officer.a', null)).toBeNull();
    expect(authorshipProblem(doc('officer.c', 'officer.a'), 'officer.a', 'officer.c')).toBeNull();
  });
});
