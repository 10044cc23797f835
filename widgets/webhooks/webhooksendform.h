// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "webhookcapture.h"

#include <QWidget>

#include <optional>

class QPlainTextEdit;
class QPushButton;

namespace Feedscope::Ui {

class JsonField;
class MessageBar;

// The webhook console's composer: custom headers ("Name: value" a line) and a JSON payload,
// both checked as they are typed with the message under the field (STYLE.md 26), and Send. It
// also edits a capture before it is replayed: then Send replays the edit, and "New event"
// goes back to composing. What the user typed is kept whatever the answer.
class WebhookSendForm : public QWidget
{
    Q_OBJECT

public:
    explicit WebhookSendForm(QWidget *parent = nullptr);

    QPlainTextEdit *headersEdit() const { return m_headers; }
    JsonField *payloadField() const { return m_payload; }
    QPushButton *sendButton() const { return m_send; }
    MessageBar *resultBar() const { return m_result; }

    // What Send sends to `trigger`, or nothing while a field is invalid.
    std::optional<WebhookRequest> request(const QString &trigger) const;
    // The payload as typed (for the curl lines), "{}" while empty or invalid.
    QByteArray payload() const;
    // Loads a capture's headers and JSON body to be edited and replayed.
    void editReplay(const WebhookCapture &capture);
    // The capture an edit replays (0 when composing a new event).
    qint64 replayOf() const { return m_replayOf; }
    void composeNew();

    void setBusy(bool busy);
    void showOutcome(const WebhookCapture &capture);

Q_SIGNALS:
    void sendRequested();
    void payloadEdited();

private:
    // The typed headers, or the first line that is not "Name: value".
    std::optional<HttpHeaderList> headers(int *badLine = nullptr) const;
    void validate();

    QPlainTextEdit *m_headers;
    MessageBar *m_headersMessage;
    JsonField *m_payload;
    MessageBar *m_replayNote;
    QPushButton *m_newEvent;
    QPushButton *m_send;
    MessageBar *m_result;
    qint64 m_replayOf = 0;
    bool m_busy = false;
};

} // namespace Feedscope::Ui
