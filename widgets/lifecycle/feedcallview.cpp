// SPDX-License-Identifier: GPL-3.0-or-later
#include "feedcallview.h"

#include "common/accessible.h"
#include "common/jsonfield.h"
#include "common/messagebar.h"
#include "common/theme.h"
#include "httpjournal.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QPlainTextEdit>
#include <QTabWidget>
#include <QVBoxLayout>

namespace Feedscope::Ui {

namespace {

// "success · 41 ms · activation 5f3a…": what a person checks first.
QString activationLine(const ActivationRecord &record)
{
    QStringList parts{record.status.isEmpty() ? QObject::tr("finished") : record.status};
    if (record.duration > 0 || record.end > 0)
        parts << QObject::tr("%1 ms").arg(record.duration);
    parts << QObject::tr("activation %1").arg(record.activationId);
    return parts.join(QStringLiteral(" · "));
}

} // namespace

FeedCallView::FeedCallView(QWidget *parent)
    : QWidget(parent)
    , m_summary(new MessageBar(this))
    , m_tabs(new QTabWidget(this))
    , m_request(new QPlainTextEdit(this))
    , m_result(new JsonField(this))
    , m_logs(new QPlainTextEdit(this))
{
    nameControl(this, QStringLiteral("feedCallView"), tr("Feed call"));
    nameControl(m_summary, QStringLiteral("feedCallSummary"), tr("Outcome of the feed call"));
    nameControl(m_tabs, QStringLiteral("feedCallTabs"), tr("Request and activation"));
    nameControl(m_request, QStringLiteral("feedCallRequest"), tr("Request sent to the feed"));
    nameControl(m_logs, QStringLiteral("feedCallLogs"), tr("Logs of the feed's activation"));
    m_result->setFieldName(QStringLiteral("feedCallResult"), tr("Result of the feed's activation"));
    m_result->setRequireObject(false);
    m_result->setReadOnly(true);
    for (QPlainTextEdit *text : {m_request, m_logs}) {
        text->setReadOnly(true);
        text->setFont(Theme::monospace());
        text->setLineWrapMode(QPlainTextEdit::NoWrap);
    }
    m_request->setPlaceholderText(tr("Send an event: the request appears here, key redacted."));
    m_tabs->addTab(m_request, tr("Request"));
    m_tabs->addTab(m_result, tr("Result"));
    m_tabs->addTab(m_logs, tr("Logs"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_summary);
    layout->addWidget(m_tabs, 1);
}

void FeedCallView::showRequest(const FeedRequest &request)
{
    m_request->setPlainText(request.toText());
    m_result->setText({});
    m_logs->clear();
    m_summary->show(Theme::Role::Pulse,
                    tr("%1 sent, waiting for the feed…")
                        .arg(request.body.value(QLatin1String("lifecycleEvent")).toString()));
    m_tabs->setCurrentWidget(m_request);
}

void FeedCallView::showAnswer(const FeedAnswer &answer)
{
    if (answer.record) {
        showActivation(*answer.record);
        return;
    }
    m_result->setValue(redacted(answer.result));
    m_logs->clear();
    if (!answer.finished && !answer.activationId.isEmpty()) {
        m_summary->showWarning(answer.error);
    } else {
        // The invoke itself failed (404: no such action, 403, a timeout): no activation.
        m_summary->showError(answer.error.isEmpty() ? tr("No answer") : answer.error);
    }
}

void FeedCallView::showActivation(const ActivationRecord &record)
{
    m_result->setValue(redacted(record.result));
    m_logs->setPlainText(QString::fromUtf8(redacted(record.logs.join(u'\n').toUtf8())));
    if (record.success)
        m_summary->showInfo(activationLine(record));
    else
        m_summary->showError(activationLine(record) + QStringLiteral(" — ")
                             + readableFeedError(record.result));
    m_tabs->setCurrentWidget(m_result);
}

QByteArray FeedCallView::redacted(const QByteArray &text) const
{
    if (m_secret.isEmpty())
        return HttpJournal::redact(text, {});
    const QByteArray password = m_secret.mid(m_secret.indexOf(':') + 1);
    return HttpJournal::redact(text, {m_secret, m_secret.toBase64(), password});
}

QJsonValue FeedCallView::redacted(const QJsonValue &value) const
{
    const QJsonDocument document
        = value.isArray() ? QJsonDocument(value.toArray()) : QJsonDocument(value.toObject());
    if (!value.isArray() && !value.isObject())
        return value;
    const QJsonDocument clean = QJsonDocument::fromJson(redacted(document.toJson()));
    return clean.isArray() ? QJsonValue(clean.array()) : QJsonValue(clean.object());
}

void FeedCallView::showNoCall(const QString &why)
{
    m_request->setPlainText(tr("(nothing sent to the feed)"));
    m_result->setText({});
    m_logs->clear();
    m_summary->show(Theme::Role::Muted, why);
}

} // namespace Feedscope::Ui
