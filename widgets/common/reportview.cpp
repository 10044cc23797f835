// SPDX-License-Identifier: GPL-3.0-or-later
#include "reportview.h"

#include "theme.h"

namespace Feedscope::Ui {

namespace {

QString line(const QString &mark, const QColor &color, const QString &text)
{
    return QStringLiteral("<div><span style=\"color:%1\"><b>%2</b></span>&nbsp;%3</div>")
        .arg(color.name(), mark, text.toHtmlEscaped());
}

} // namespace

ReportView::ReportView(QWidget *parent)
    : QTextBrowser(parent)
{
    setOpenLinks(false);
    setMinimumHeight(60);
}

void ReportView::showProgress(const QString &title, int step, int count, const QString &text)
{
    setHtml(QStringLiteral("<p><b>%1</b></p>").arg(title.toHtmlEscaped())
            + line(QStringLiteral("…"),
                   Theme::color(Theme::Role::Pulse, this),
                   tr("Step %1 of %2: %3").arg(step + 1).arg(count).arg(text)));
}

void ReportView::showReport(const OperationReport &report)
{
    const QColor ok = Theme::color(Theme::Role::Success, this);
    const QColor bad = Theme::color(Theme::Role::Error, this);
    const QColor warn = Theme::color(Theme::Role::Warning, this);
    const QColor muted = Theme::color(Theme::Role::Muted, this);
    QString html = QStringLiteral("<p><b>%1</b> — %2</p>")
                       .arg(report.title.toHtmlEscaped(),
                            report.ok          ? tr("done")
                            : report.cancelled ? tr("cancelled")
                                               : tr("failed"));
    for (const QString &done : report.completed)
        html += line(QStringLiteral("✓"), ok, done);
    if (!report.ok && !report.errorMessage.isEmpty())
        html += line(QStringLiteral("✗"), bad, report.errorMessage);
    for (const QString &undone : report.undone)
        html += line(QStringLiteral("↶"), muted, tr("Undone: %1").arg(undone));
    for (const QString &error : report.undoErrors)
        html += line(QStringLiteral("✗"), bad, tr("Could not undo: %1").arg(error));
    for (const QString &warning : report.warnings)
        html += line(QStringLiteral("!"), warn, warning);
    setHtml(html);
}

void ReportView::showDeployReport(const QString &title, const DeployReport &report)
{
    const QColor ok = Theme::color(Theme::Role::Success, this);
    const QColor bad = Theme::color(Theme::Role::Error, this);
    const QColor muted = Theme::color(Theme::Role::Muted, this);
    QString html = QStringLiteral("<p><b>%1</b> — %2</p>")
                       .arg(title.toHtmlEscaped(), report.ok ? tr("done") : tr("failed"));
    for (const StepOutcome &step : report.steps) {
        switch (step.state) {
        case StepOutcome::State::Done:
            html += line(QStringLiteral("✓"), ok, step.description);
            break;
        case StepOutcome::State::Failed:
            html += line(
                QStringLiteral("✗"), bad, step.description + QStringLiteral(": ") + step.message);
            break;
        case StepOutcome::State::Undone:
            html += line(QStringLiteral("↶"), muted, tr("Undone: %1").arg(step.description));
            break;
        case StepOutcome::State::UndoFailed:
            html += line(QStringLiteral("✗"), bad, tr("Could not undo: %1").arg(step.description));
            break;
        default: break;
        }
    }
    for (const QString &problem : report.problems)
        html += line(QStringLiteral("!"), bad, problem);
    setHtml(html);
}

} // namespace Feedscope::Ui
