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

    MessageBar *summary() const { return m_summary; }
    QPlainTextEdit *requestText() const { return m_request; }
    JsonField *resultField() const { return m_result; }
    QPlainTextEdit *logsText() const { return m_logs; }

private:
    MessageBar *m_summary;
    QTabWidget *m_tabs;
    QPlainTextEdit *m_request;
    JsonField *m_result;
    QPlainTextEdit *m_logs;
};

} // namespace Feedscope::Ui
