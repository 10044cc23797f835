// SPDX-License-Identifier: GPL-3.0-or-later
#include "webhookrelaysettingsbar.h"

#include "webhookrelay.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>

namespace Feedscope::Ui {

WebhookRelaySettingsBar::WebhookRelaySettingsBar(WebhookRelay *relay, QWidget *parent)
    : QWidget(parent)
    , m_relay(relay)
    , m_port(new QSpinBox(this))
    , m_captures(new QSpinBox(this))
    , m_apply(new QPushButton(tr("Apply"), this))
{
    setObjectName(QStringLiteral("webhookRelaySettings"));
    m_port->setObjectName(QStringLiteral("webhookRelayPort"));
    m_port->setAccessibleName(tr("Relay port, 0 for any free port"));
    m_port->setRange(0, 65535);
    m_port->setSpecialValueText(tr("any free port"));
    m_port->setToolTip(tr("The loopback port the relay listens on. A free one is picked once and "
                          "kept while it stays free; give one to keep webhook URLs fixed."));
    m_captures->setObjectName(QStringLiteral("webhookRelayCaptures"));
    m_captures->setAccessibleName(tr("Captures the relay keeps"));
    m_captures->setRange(10, 100000);
    m_captures->setSingleStep(100);
    m_captures->setPrefix(tr("keep "));
    m_captures->setSuffix(tr(" captures"));
    m_captures->setToolTip(tr("How many deliveries, sends and replays the relay keeps, for all "
                              "triggers together; the oldest go first"));
    m_apply->setObjectName(QStringLiteral("webhookRelayApply"));
    m_apply->setAccessibleName(tr("Apply the relay settings"));

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *portLabel = new QLabel(tr("P&ort:"), this);
    portLabel->setBuddy(m_port);
    layout->addWidget(portLabel);
    layout->addWidget(m_port);
    layout->addWidget(m_captures);
    layout->addWidget(m_apply);
    layout->addStretch(1);

    connect(m_port, &QSpinBox::valueChanged, this, &WebhookRelaySettingsBar::updateApply);
    connect(m_captures, &QSpinBox::valueChanged, this, &WebhookRelaySettingsBar::updateApply);
    connect(m_apply, &QPushButton::clicked, this, &WebhookRelaySettingsBar::apply);
    if (relay)
        connect(relay, &WebhookRelay::settingsChanged, this, &WebhookRelaySettingsBar::reload);
    reload();
}

void WebhookRelaySettingsBar::reload()
{
    if (!m_relay) {
        setEnabled(false);
        return;
    }
    m_port->setValue(m_relay->settings().port);
    m_captures->setValue(m_relay->settings().maxCaptures);
    updateApply();
}

void WebhookRelaySettingsBar::updateApply()
{
    m_apply->setEnabled(m_relay
                        && (m_port->value() != m_relay->settings().port
                            || m_captures->value() != m_relay->settings().maxCaptures));
}

void WebhookRelaySettingsBar::apply()
{
    if (!m_relay)
        return;
    WebhookRelaySettings settings = m_relay->settings();
    settings.port = quint16(m_port->value());
    settings.maxCaptures = m_captures->value();
    m_relay->setSettings(settings);
    updateApply();
}

} // namespace Feedscope::Ui
