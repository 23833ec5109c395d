// The one place that turns core's 0-based positions and problems into VS Code's types.
import * as vscode from 'vscode';
import { Problem, Range, RuleCode, Severity, TextEdit, ruleUrl } from '../core';

export const DIAGNOSTIC_SOURCE = 'jumio-batch';

export function toRange(r: Range): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

export function toTextEdit(e: TextEdit): vscode.TextEdit {
  return new vscode.TextEdit(toRange(e.range), e.newText);
}

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export function toDiagnostic(p: Problem): vscode.Diagnostic {
  const d = new vscode.Diagnostic(toRange(p.range), p.message, SEVERITY[p.severity]);
  d.source = DIAGNOSTIC_SOURCE;
  d.code = { value: p.code, target: vscode.Uri.parse(ruleUrl(p.code)) };
  return d;
}

/** The rule code of one of our diagnostics, or undefined for anyone else's. */
export function codeOf(d: vscode.Diagnostic): RuleCode | undefined {
  if (d.source !== DIAGNOSTIC_SOURCE) return undefined;
  const value = typeof d.code === 'object' ? d.code.value : d.code;
  return typeof value === 'string' ? (value as RuleCode) : undefined;
}
