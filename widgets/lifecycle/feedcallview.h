// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "feedcall.h"

#include <QWidget>

class QPlainTextEdit;
class QTabWidget;

namespace Feedscope::Ui {

class JsonField;
class MessageBar;

// One feed lifecycle call as the lifecycle console shows it: the exact request (method, URL and
// body, the authKey redacted) and the feed's activation — its result, logs, duration and id.
class FeedCallView : public QWidget
{
    Q_OBJECT

public:
    explicit FeedCallView(QWidget *parent = nullptr);

    // The request was sent; its answer follows with showAnswer().
    void showRequest(const FeedRequest &request);
    void showAnswer(const FeedAnswer &answer);
    // An activation known only by its record (a composite operation's feed call).
    void showActivation(const ActivationRecord &record);
    // Nothing was sent to the feed, and why (a remembered soft pause).
    void showNoCall(const QString &why);
    // The profile's key: a feed that logs or returns its parameters (a usual debugging line)
    // would show it, since every lifecycle call carries it as authKey. Shown as ***.
    void setSecret(const QByteArray &key) { m_secret = key; }

    MessageBar *summary() const { return m_summary; }
    QPlainTextEdit *requestText() const { return m_request; }
    JsonField *resultField() const { return m_result; }
    QPlainTextEdit *logsText() const { return m_logs; }

private:
    QByteArray redacted(const QByteArray &text) const;
    QJsonValue redacted(const QJsonValue &value) const;

    QByteArray m_secret;
    MessageBar *m_summary;
    QTabWidget *m_tabs;
    QPlainTextEdit *m_request;
    JsonField *m_result;
    QPlainTextEdit *m_logs;
};

} // namespace Feedscope::Ui
