// SPDX-License-Identifier: GPL-3.0-or-later
#include "webhooksendform.h"

#include "common/jsonfield.h"
#include "common/messagebar.h"
#include "common/theme.h"
#include "webhookcapturemodel.h"
#include "webhookforward.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPlainTextEdit>
#include <QPushButton>

namespace Feedscope::Ui {

WebhookSendForm::WebhookSendForm(QWidget *parent)
    : QWidget(parent)
    , m_headers(new QPlainTextEdit(this))
    , m_headersMessage(new MessageBar(this))
    , m_payload(new JsonField(this))
    , m_replayNote(new MessageBar(this))
    , m_newEvent(new QPushButton(tr("&New event"), this))
    , m_send(new QPushButton(tr("&Send"), this))
    , m_result(new MessageBar(this))
{
    setObjectName(QStringLiteral("webhookSendForm"));
    m_headers->setObjectName(QStringLiteral("webhookHeadersEdit"));
    m_headers->setAccessibleName(tr("Headers to send, one Name: value a line"));
    m_headers->setPlaceholderText(tr("X-Event: order.created\nX-Signature: sha256=…"));
    m_headers->setFont(Theme::monospace());
    m_headers->setTabChangesFocus(true);
    m_headers->setFixedHeight(m_headers->fontMetrics().lineSpacing() * 4 + 12);
    m_headersMessage->setObjectName(QStringLiteral("webhookHeadersMessage"));
    m_headersMessage->setAccessibleName(tr("Headers: message"));
    m_payload->setFieldName(QStringLiteral("webhookPayload"), tr("Payload to send (JSON)"));
    m_payload->setPlaceholderText(tr("{\"order\": 42} — the event's JSON body"));
    m_replayNote->setObjectName(QStringLiteral("webhookReplayNote"));
    m_replayNote->setAccessibleName(tr("Replay being edited"));
    m_newEvent->setObjectName(QStringLiteral("webhookNewEventButton"));
    m_newEvent->setAccessibleName(tr("Compose a new event instead of editing a replay"));
    m_newEvent->hide();
    m_send->setObjectName(QStringLiteral("webhookSendButton"));
    m_send->setAccessibleName(tr("Send the event to the trigger"));
    m_send->setToolTip(tr("Send the headers and payload to the trigger through the relay's "
                          "forward, recorded in the history (Ctrl+Return)"));
    m_send->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    m_result->setObjectName(QStringLiteral("webhookSendResult"));
    m_result->setAccessibleName(tr("Outcome of the send"));

    auto *headers = new QWidget(this);
    // The payload takes the height; the headers keep theirs.
    headers->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
    auto *headersLayout = new QVBoxLayout(headers);
    headersLayout->setContentsMargins(0, 0, 0, 0);
    headersLayout->addWidget(m_headers);
    headersLayout->addWidget(m_headersMessage);
    auto *form = new QFormLayout;
    form->addRow(tr("&Headers:"), headers);
    form->addRow(tr("&Payload:"), m_payload);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_send);
    buttons->addWidget(m_newEvent);
    buttons->addWidget(m_result, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_replayNote);
    layout->addLayout(form, 1);
    layout->addLayout(buttons);

    connect(m_headers, &QPlainTextEdit::textChanged, this, &WebhookSendForm::validate);
    connect(m_payload, &JsonField::edited, this, [this] {
        validate();
        Q_EMIT payloadEdited();
    });
    connect(m_send, &QPushButton::clicked, this, &WebhookSendForm::sendRequested);
    connect(m_newEvent, &QPushButton::clicked, this, &WebhookSendForm::composeNew);
    validate();
}

std::optional<HttpHeaderList> WebhookSendForm::headers(int *badLine) const
{
    HttpHeaderList list;
    const QStringList lines = m_headers->toPlainText().split(u'\n');
    for (int i = 0; i < lines.size(); ++i) {
        const QString line = lines.at(i).trimmed();
        if (line.isEmpty())
            continue;
        const qsizetype colon = line.indexOf(u':');
        const QString name = line.left(colon).trimmed();
        if (colon <= 0 || name.contains(u' ') || name.contains(u'\t')) {
            if (badLine)
                *badLine = i + 1;
            return std::nullopt;
        }
        list.append({name.toLatin1(), line.mid(colon + 1).trimmed().toUtf8()});
    }
    return list;
}

void WebhookSendForm::validate()
{
    int badLine = 0;
    if (headers(&badLine))
        m_headersMessage->clearMessage();
    else
        m_headersMessage->showError(
            tr("Headers — line %1: write Name: value, a header a line").arg(badLine));
    m_send->setEnabled(!m_busy && m_payload->isValid() && headers());
}

std::optional<WebhookRequest> WebhookSendForm::request(const QString &trigger) const
{
    const auto list = headers();
    if (!list || !m_payload->isValid())
        return std::nullopt;
    WebhookRequest request;
    request.trigger = trigger;
    request.method = "POST";
    request.headers = *list;
    // The body is the text as typed, so what is sent is what the user sees.
    request.body = m_payload->text().trimmed().toUtf8();
    if (request.header("content-type").isEmpty())
        request.headers.prepend({"Content-Type", "application/json"});
    return request;
}

QByteArray WebhookSendForm::payload() const
{
    if (!m_payload->isValid() || m_payload->text().trimmed().isEmpty())
        return "{}";
    return QJsonDocument(m_payload->object()).toJson(QJsonDocument::Compact);
}

void WebhookSendForm::editReplay(const WebhookCapture &capture)
{
    QStringList lines;
    for (const auto &h : capture.request.headers) {
        // Framing and hop headers are the relay's to write again; the event's own stay.
        if (isForwardedHeader(h.first) || h.first.compare("content-type", Qt::CaseInsensitive) == 0)
            lines.append(QString::fromLatin1(h.first) + QStringLiteral(": ")
                         + QString::fromUtf8(h.second));
    }
    m_headers->setPlainText(lines.join(u'\n'));
    const QJsonDocument body = QJsonDocument::fromJson(capture.request.body);
    m_payload->setText(body.isObject()
                           ? QString::fromUtf8(body.toJson(QJsonDocument::Indented)).trimmed()
                           : QString());
    m_replayOf = capture.id;
    m_replayNote->show(
        Theme::Role::Accent,
        tr("Editing the %1 capture (%2) before replaying it: Replay edit sends what is here.")
            .arg(capture.receivedAt.toLocalTime().toString(QStringLiteral("HH:mm:ss.zzz")),
                 WebhookCapture::sourceName(capture.source)));
    m_newEvent->show();
    m_send->setText(tr("&Replay edit"));
    m_payload->setFocus();
    Q_EMIT payloadEdited(); // the curl lines show what is loaded
}

void WebhookSendForm::composeNew()
{
    m_replayOf = 0;
    m_replayNote->clearMessage();
    m_newEvent->hide();
    m_send->setText(tr("&Send"));
}

void WebhookSendForm::setBusy(bool busy)
{
    m_busy = busy;
    if (busy)
        m_result->show(Theme::Role::Pulse, tr("Sending…"));
    validate();
}

void WebhookSendForm::showOutcome(const WebhookCapture &capture)
{
    const QString text = WebhookCaptureModel::outcomeText(capture);
    switch (capture.outcome()) {
    case WebhookCapture::Outcome::Fired: m_result->showInfo(text); break;
    case WebhookCapture::Outcome::NoActiveRule: m_result->showWarning(text); break;
    default: m_result->showError(text); break;
    }
}

} // namespace Feedscope::Ui
