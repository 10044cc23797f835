// SPDX-License-Identifier: GPL-3.0-or-later
#include "activationdetailview.h"

#include "activationtablemodel.h"
#include "common/accessible.h"
#include "common/jsontreeview.h"
#include "common/theme.h"
#include "firefollower.h"
#include "statuscolors.h"

#include <QApplication>
#include <QClipboard>
#include <QDateTime>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QVBoxLayout>

namespace Feedscope::Ui {
namespace {

// How far back the pane looks for the trigger activation that caused an action: the trigger
// row comes before it, usually just before, but a busy trigger has many rows in between.
constexpr int causeScanRows = 5000;
constexpr int causeCandidates = 8;

QString shortId(const QString &id)
{
    return id.size() > 12 ? id.left(12) + QStringLiteral("…") : id;
}

bool isLocalFire(const ActivationRecord &record)
{
    return record.annotations.contains(localFireAnnotation());
}

bool isSequence(const ActivationRecord &record)
{
    return record.annotations.value(QStringLiteral("kind")).toString() == u"sequence";
}

} // namespace

ActivationDetailView::ActivationDetailView(ActivationTableModel *rows, QWidget *parent)
    : QWidget(parent)
    , m_rows(rows)
    , m_summary(new QLabel(this))
    , m_causality(new QLabel(this))
    , m_tabs(new QTabWidget(this))
    , m_result(new JsonTreeView(this))
    , m_annotations(new JsonTreeView(this))
    , m_logs(new QPlainTextEdit(this))
    , m_raw(new QPlainTextEdit(this))
    , m_replay(new QPushButton(tr("Replay…"), this))
    , m_why(new QPushButton(tr("Why didn't it run?"), this))
    , m_copyId(new QPushButton(tr("Copy id"), this))
{
    nameControl(this, QStringLiteral("activationDetail"), tr("Activation details"));
    nameControl(m_summary, QStringLiteral("activationSummary"), tr("Activation summary"));
    nameControl(m_causality, QStringLiteral("activationCausality"), tr("Causality chain"));
    nameControl(m_tabs, QStringLiteral("activationDetailTabs"), tr("Activation detail tabs"));
    nameControl(m_result, QStringLiteral("activationResult"), tr("Payload or result"));
    nameControl(m_annotations, QStringLiteral("activationAnnotations"), tr("Annotations"));
    nameControl(m_logs, QStringLiteral("activationLogs"), tr("Logs"));
    nameControl(m_raw, QStringLiteral("activationRaw"), tr("Activation record as JSON"));
    nameControl(m_replay, QStringLiteral("replayButton"), tr("Replay this trigger event"));
    nameControl(m_why, QStringLiteral("whyButton"), tr("Why didn't my action run?"));
    nameControl(m_copyId, QStringLiteral("copyActivationIdButton"), tr("Copy activation id"));
    m_replay->setToolTip(tr("Fire this event's payload at its trigger again, edited if you like"));
    m_why->setToolTip(tr("Walk the facts from this trigger to its actions and say what stopped"));

    for (QLabel *label : {m_summary, m_causality}) {
        label->setWordWrap(true);
        label->setTextInteractionFlags(Qt::TextBrowserInteraction);
        label->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    }
    m_causality->setOpenExternalLinks(false);
    connect(m_causality, &QLabel::linkActivated, this, [this](const QString &link) {
        if (link.startsWith(u"activation:"))
            Q_EMIT navigateRequested(link.mid(11));
    });
    m_logs->setReadOnly(true);
    m_logs->setFont(Theme::monospace());
    m_logs->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_raw->setReadOnly(true);
    m_raw->setFont(Theme::monospace());
    m_tabs->addTab(m_result, tr("Result"));
    m_tabs->addTab(m_logs, tr("Logs"));
    m_tabs->addTab(m_annotations, tr("Annotations"));
    m_tabs->addTab(m_raw, tr("Raw"));

    connect(m_copyId, &QPushButton::clicked, this, [this] {
        QApplication::clipboard()->setText(m_record.activationId);
    });
    connect(m_replay, &QPushButton::clicked, this, [this] { Q_EMIT replayRequested(m_record); });
    connect(m_why, &QPushButton::clicked, this, [this] {
        QString trigger = m_record.isTrigger() ? m_record.name : QString();
        if (trigger.isEmpty() && m_row >= 0)
            trigger = m_rows->data(m_rows->index(m_row, 0), ActivationTableModel::TriggerRole)
                          .toString();
        Q_EMIT whyRequested(trigger, m_record.isTrigger() ? m_record.activationId : QString());
    });

    // Trimming drops the oldest rows: the shown row's index moves (or goes).
    const auto reresolve = [this] {
        if (m_row >= 0)
            m_row = m_rows->rowOf(m_record.activationId);
    };
    connect(m_rows, &QAbstractItemModel::rowsRemoved, this, reresolve);
    connect(m_rows, &QAbstractItemModel::modelReset, this, reresolve);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_replay);
    buttons->addWidget(m_why);
    buttons->addStretch();
    buttons->addWidget(m_copyId);
    auto *causalityTitle = new QLabel(tr("<b>Causality</b>"), this);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 4, 4, 4);
    layout->addWidget(m_summary);
    layout->addWidget(causalityTitle);
    layout->addWidget(m_causality);
    layout->addLayout(buttons);
    layout->addWidget(m_tabs, 1);
    clear();
}

void ActivationDetailView::clear()
{
    ++m_generation;
    m_record = ActivationRecord();
    m_row = -1;
    m_summary->setText(tr("Select an activation to see its payload, result, logs and what it "
                          "caused."));
    m_causality->setText(tr("—"));
    m_result->setPlaceholder(tr("Nothing selected"));
    m_annotations->clear();
    m_logs->clear();
    m_raw->clear();
    for (QPushButton *b : {m_replay, m_why, m_copyId})
        b->setEnabled(false);
}

void ActivationDetailView::showError(const QString &message)
{
    m_summary->setText(message.toHtmlEscaped());
    m_result->setPlaceholder(tr("Not available"));
}

void ActivationDetailView::showRow(int sourceRow)
{
    if (sourceRow < 0 || sourceRow >= m_rows->rowCount()) {
        clear();
        return;
    }
    const quint64 generation = ++m_generation;
    // The row's own facts at once; the full record replaces them when it arrives.
    ActivationRecord summary;
    summary.activationId = m_rows->idAt(sourceRow);
    summary.name = m_rows->text(m_rows->rowAt(sourceRow).name);
    summary.start = m_rows->rowAt(sourceRow).start;
    m_record = summary;
    m_row = sourceRow;
    m_summary->setText(
        tr("<b>%1</b> — loading the activation record…").arg(summary.name.toHtmlEscaped()));
    m_result->setPlaceholder(tr("Loading…"));
    m_rows->fetchRecord(
        sourceRow,
        this,
        [this, generation, id = summary.activationId](Result<ActivationRecord> result) {
            if (generation != m_generation)
                return;
            if (!result) {
                showError(tr("The activation %1 could not be loaded: %2")
                              .arg(id, result.error().message));
                return;
            }
            showRecord(*result, m_rows->rowOf(id));
        });
}

void ActivationDetailView::showRecord(const ActivationRecord &record, int sourceRow)
{
    ++m_generation;
    m_record = record;
    m_row = sourceRow;
    showSummary();
    const bool trigger = record.isTrigger();
    m_tabs->setTabText(0, trigger ? tr("Payload") : tr("Result"));
    if (record.result.isUndefined() || record.result.isNull())
        m_result->setPlaceholder(trigger ? tr("No payload") : tr("No result"));
    else
        m_result->setJson(record.result);
    m_annotations->setJson(record.annotations.toObject());
    m_logs->setPlainText(record.logs.join(u'\n'));
    m_raw->setPlainText(
        record.raw.isEmpty() ? QString() : QString::fromUtf8(QJsonDocument(record.raw).toJson()));
    m_copyId->setEnabled(!record.activationId.isEmpty());
    // A payload can be replayed when it is all there: a synthetic row keeps only an excerpt.
    const bool wholePayload = !isLocalFire(record) || record.result.isObject();
    m_replay->setEnabled(trigger && wholePayload);
    m_why->setEnabled(trigger
                      || (m_row >= 0 && !m_rows->text(m_rows->rowAt(m_row).trigger).isEmpty()));
    showCausality();
}

void ActivationDetailView::showSummary()
{
    const ActivationRecord &r = m_record;
    const ActivationRow *row = m_row >= 0 ? &m_rows->rowAt(m_row) : nullptr;
    const ActivationStatus status = row ? row->status : ActivationStatus::Unknown;
    QString kind = r.isTrigger() ? tr("trigger") : isSequence(r) ? tr("sequence") : tr("action");
    if (row)
        kind = kindText(row->kind);
    const QString statusName = row ? statusText(status) : r.status;
    const QColor colour = Theme::color(statusRole(status), this);
    QStringList facts;
    facts << QDateTime::fromMSecsSinceEpoch(r.start).toString(
        QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
    if (!r.isTrigger() && r.end > 0)
        facts << tr("duration %1 ms").arg(r.duration);
    const QJsonValue wait = r.annotations.value(QStringLiteral("waitTime"));
    if (!wait.isUndefined())
        facts << tr("wait %1 ms").arg(wait.toInteger());
    const QJsonValue init = r.annotations.value(QStringLiteral("initTime"));
    if (!r.isTrigger() && !isSequence(r) && r.end > 0)
        facts << (init.isUndefined() ? tr("warm start")
                                     : tr("cold start, init %1 ms").arg(init.toInteger()));
    facts << tr("id %1").arg(r.activationId);
    m_summary->setText(
        QStringLiteral(
            "<b>%1</b> &nbsp;<i>%2</i> &nbsp;<span style=\"color:%3\"><b>%4</b></span><br>%5")
            .arg(r.name.toHtmlEscaped(),
                 kind.toHtmlEscaped(),
                 colour.name(),
                 statusName.toHtmlEscaped(),
                 facts.join(QStringLiteral(" · ")).toHtmlEscaped()));
}

QString ActivationDetailView::linkTo(const QString &id, const QString &label) const
{
    return QStringLiteral("<a href=\"activation:%1\">%2</a>")
        .arg(id.toHtmlEscaped(), label.toHtmlEscaped());
}

QString ActivationDetailView::rowStatusText(const QString &id) const
{
    const int row = m_rows->rowOf(id);
    if (row < 0)
        return tr("not in the table yet");
    const ActivationRow &r = m_rows->rowAt(row);
    QString text = QStringLiteral("<span style=\"color:%1\">%2</span>")
                       .arg(Theme::color(statusRole(r.status), this).name(),
                            statusText(r.status).toHtmlEscaped());
    if (r.durationMs >= 0)
        text += tr(", %1 ms").arg(r.durationMs);
    return text;
}

void ActivationDetailView::showCausality()
{
    const ActivationRecord &r = m_record;
    QStringList lines;
    if (isLocalFire(r)) {
        const int status = r.annotations.value(localFireAnnotation()).toInt();
        lines << (status == 429
                      ? tr("Fired by Feedscope and refused with 429 (too many requests): the "
                           "event was dropped and no rule ran. The server keeps no record of it.")
                      : tr("Fired by Feedscope and answered 204: no active rule on %1, so "
                           "nothing ran and the server keeps no record of the fire.")
                            .arg(r.name.toHtmlEscaped()));
        m_causality->setText(lines.join(QStringLiteral("<br>")));
        return;
    }
    if (r.isTrigger()) {
        const QList<RuleOutcome> outcomes = parseRuleOutcomes(r.logs);
        if (outcomes.isEmpty()) {
            lines << (r.logs.isEmpty() && r.raw.isEmpty()
                          ? tr("Rule outcomes arrive with the full record.")
                          : tr("No rule outcome is recorded for this fire."));
        }
        for (const RuleOutcome &o : outcomes) {
            const QString rule = localName(o.rule, r.ns).toHtmlEscaped();
            const QString action = localName(o.action, r.ns).toHtmlEscaped();
            if (!o.activationId.isEmpty())
                lines << tr("rule <b>%1</b> → action <b>%2</b>: %3 (%4)")
                             .arg(rule,
                                  action,
                                  linkTo(o.activationId, shortId(o.activationId)),
                                  rowStatusText(o.activationId));
            else
                lines << tr("rule <b>%1</b> → action <b>%2</b>: <span style=\"color:%3\">not run"
                            "</span> — %4")
                             .arg(rule,
                                  action,
                                  Theme::color(Theme::Role::Warning, this).name(),
                                  (o.error.isEmpty() ? tr("status %1").arg(o.statusCode) : o.error)
                                      .toHtmlEscaped());
        }
        m_causality->setText(lines.join(QStringLiteral("<br>")));
        return;
    }
    if (isSequence(r)) {
        // A sequence's logs are its components' activation ids, in order (PROTOCOL.md 2.3).
        int n = 0;
        for (const QString &id : r.logs) {
            const int row = m_rows->rowOf(id);
            const QString name = row >= 0 ? m_rows->text(m_rows->rowAt(row).name) : QString();
            lines << tr("%1. %2 %3 (%4)")
                         .arg(++n)
                         .arg(name.toHtmlEscaped(), linkTo(id, shortId(id)), rowStatusText(id));
        }
        if (lines.isEmpty())
            lines << tr("No component has run.");
    }
    if (!r.cause.isEmpty())
        lines << tr("Component of sequence activation %1").arg(linkTo(r.cause, shortId(r.cause)));
    const ActivationRow *row = m_row >= 0 ? &m_rows->rowAt(m_row) : nullptr;
    if (row && row->trigger) {
        lines << tr("Caused by trigger <b>%1</b> through rule <b>%2</b> — finding its trigger "
                    "activation…")
                     .arg(m_rows->text(row->trigger).toHtmlEscaped(),
                          m_rows->text(row->rule).toHtmlEscaped());
        m_causality->setText(lines.join(QStringLiteral("<br>")));
        findCause(m_row, m_generation);
        return;
    }
    if (r.cause.isEmpty() && !isSequence(r))
        lines << tr("No trigger seen by the monitor names this activation: it was invoked "
                    "directly, or its trigger fired before the monitor started.");
    m_causality->setText(lines.join(QStringLiteral("<br>")));
}

void ActivationDetailView::findCause(int actionRow, quint64 generation)
{
    // Trigger activations of the same trigger that started no later than the action, newest
    // first: one of their rule outcomes names this action's id.
    const ActivationRow &action = m_rows->rowAt(actionRow);
    QStringList candidates; // ids: rows may be trimmed while their records are fetched
    for (int i = actionRow - 1;
         i >= 0 && i >= actionRow - causeScanRows && candidates.size() < causeCandidates;
         --i) {
        const ActivationRow &r = m_rows->rowAt(i);
        if (r.kind == ActivationKind::Trigger && !r.synthetic && r.trigger == action.trigger
            && r.start <= action.start)
            candidates << m_rows->idAt(i);
    }
    // Rows can also arrive out of order (a list after a push); look just after it too.
    for (int i = actionRow + 1; i < m_rows->rowCount() && i <= actionRow + 50; ++i) {
        const ActivationRow &r = m_rows->rowAt(i);
        if (r.kind == ActivationKind::Trigger && !r.synthetic && r.trigger == action.trigger
            && r.start <= action.start)
            candidates << m_rows->idAt(i);
    }
    tryCandidate(candidates, generation);
}

void ActivationDetailView::tryCandidate(QStringList candidates, quint64 generation)
{
    const auto finish = [this](const QString &line) {
        QString text = m_causality->text();
        const int cut = text.lastIndexOf(QStringLiteral(" — finding its trigger activation…"));
        if (cut >= 0)
            text = text.left(cut);
        m_causality->setText(text + line);
    };
    if (candidates.isEmpty()) {
        finish(tr(" (its trigger activation is no longer in the table)"));
        return;
    }
    const QString id = candidates.takeFirst();
    const int row = m_rows->rowOf(id);
    if (row < 0) {
        tryCandidate(candidates, generation);
        return;
    }
    m_rows->fetchRecord(
        row, this, [this, candidates, generation, id, finish](Result<ActivationRecord> result) {
            if (generation != m_generation)
                return;
            if (result) {
                for (const RuleOutcome &o : parseRuleOutcomes(result->logs)) {
                    if (o.activationId == m_record.activationId) {
                        finish(tr(", trigger activation %1").arg(linkTo(id, shortId(id))));
                        return;
                    }
                }
            }
            // Rows may have been trimmed meanwhile: re-resolve the remaining candidates by id.
            tryCandidate(candidates, generation);
        });
}

} // namespace Feedscope::Ui
