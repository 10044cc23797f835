// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QPointer>
#include <QWidget>

class QPushButton;
class QSpinBox;

namespace Feedscope {
class WebhookRelay;
}

namespace Feedscope::Ui {

// The webhook relay's settings where the relay is used: its port (0: a free one, kept while it
// stays free) and how many captures it keeps. Apply saves them; a new port restarts the
// listener, and a port that cannot be had shows in the relay's status.
class WebhookRelaySettingsBar : public QWidget
{
    Q_OBJECT

public:
    explicit WebhookRelaySettingsBar(WebhookRelay *relay, QWidget *parent = nullptr);

    QSpinBox *portBox() const { return m_port; }
    QSpinBox *capturesBox() const { return m_captures; }
    QPushButton *applyButton() const { return m_apply; }

    // Shows the relay's settings again (what the user typed and did not apply is dropped).
    void reload();

private:
    void apply();
    void updateApply();

    QPointer<WebhookRelay> m_relay;
    QSpinBox *m_port;
    QSpinBox *m_captures;
    QPushButton *m_apply;
};

} // namespace Feedscope::Ui
