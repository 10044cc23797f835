// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QPointer>
#include <QWidget>

class QAction;
class QLineEdit;
class QPlainTextEdit;
class QTableView;

namespace Feedscope {
class WebhookCaptureModel;
class WebhookRelay;
struct WebhookCapture;
} // namespace Feedscope

namespace Feedscope::Ui {

class MessageBar;
class WebhookSendForm;

// The webhook console of one trigger (DESIGN.md), a page of the editor area: the trigger's fire
// URL and its relay URL with ready curl lines (the direct one shows its key redacted and copies
// it in full), a composer that sends a JSON payload with custom headers through the relay's
// forward, the capture history of relay deliveries, console sends and replays, the selected
// capture in detail (headers, raw body, what the API answered), and replay — byte for byte, or
// edited first. Its commands are QActions owned here (STYLE.md 24).
class WebhookConsole : public QWidget
{
    Q_OBJECT

public:
    WebhookConsole(WebhookRelay *relay, const QString &trigger, QWidget *parent = nullptr);

    // The console of `trigger` among `area`'s children (a closed tab is kept, hidden, with what
    // was typed), or a new one there.
    static WebhookConsole *forTrigger(WebhookRelay *relay, const QString &trigger, QWidget *area);

    QString trigger() const { return m_trigger; }
    QString title() const;

    QLineEdit *fireUrlEdit() const { return m_fireUrl; }
    QLineEdit *directCurlEdit() const { return m_directCurl; }
    QLineEdit *relayUrlEdit() const { return m_relayUrl; }
    QLineEdit *relayCurlEdit() const { return m_relayCurl; }
    MessageBar *relayStatus() const { return m_status; }
    WebhookSendForm *sendForm() const { return m_form; }
    QTableView *historyView() const { return m_history; }
    WebhookCaptureModel *historyModel() const { return m_model; }
    QPlainTextEdit *requestView() const { return m_requestView; }
    QPlainTextEdit *outcomeView() const { return m_outcomeView; }

    QAction *copyDirectCurlAction() const { return m_copyDirectCurl; }
    QAction *copyRelayCurlAction() const { return m_copyRelayCurl; }
    QAction *copyRelayUrlAction() const { return m_copyRelayUrl; }
    QAction *replayAction() const { return m_replay; }
    QAction *editReplayAction() const { return m_editReplay; }
    QAction *clearAction() const { return m_clear; }

    // The capture shown in detail (0: none).
    qint64 selectedCapture() const;
    bool selectCapture(qint64 id);

Q_SIGNALS:
    void statusMessage(const QString &text);

private:
    void createActions();
    QWidget *createAddresses();
    QWidget *createHistory();
    void updateAddresses();
    void updateActions();
    void showSelected();
    void send();
    void replaySelected();
    void answered(const WebhookCapture &capture);

    QPointer<WebhookRelay> m_relay;
    QString m_trigger;
    WebhookCaptureModel *m_model;
    MessageBar *m_status;
    QLineEdit *m_fireUrl;
    QLineEdit *m_directCurl;
    QLineEdit *m_relayUrl;
    QLineEdit *m_relayCurl;
    WebhookSendForm *m_form;
    QTableView *m_history;
    QPlainTextEdit *m_requestView;
    QPlainTextEdit *m_outcomeView;
    QAction *m_copyDirectCurl = nullptr;
    QAction *m_copyRelayCurl = nullptr;
    QAction *m_copyRelayUrl = nullptr;
    QAction *m_replay = nullptr;
    QAction *m_editReplay = nullptr;
    QAction *m_clear = nullptr;
    qint64 m_awaited = 0; // the send whose row is selected once it is published
};

} // namespace Feedscope::Ui
