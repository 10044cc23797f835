// SPDX-License-Identifier: GPL-3.0-or-later
#include "replaydialog.h"

#include "common/accessible.h"
#include "common/jsonfield.h"
#include "common/theme.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace Feedscope::Ui {

ReplayDialog::ReplayDialog(WhiskClientPtr client,
                           const QualifiedName &trigger,
                           const QJsonObject &payload,
                           QWidget *parent)
    : QDialog(parent)
    , m_client(std::move(client))
    , m_trigger(trigger)
    , m_payload(new JsonField(this))
    , m_fire(new QPushButton(tr("Fire"), this))
    , m_answer(new QLabel(this))
{
    setObjectName(QStringLiteral("replayDialog"));
    setWindowTitle(tr("Replay an event on %1").arg(trigger.name));
    m_payload->setFieldName(QStringLiteral("replayPayload"), tr("Replay payload"));
    m_payload->setRequireObject(true);
    m_payload->setValue(payload);
    nameControl(m_fire, QStringLiteral("replayFireButton"), tr("Fire the payload again"));
    nameControl(m_answer, QStringLiteral("replayAnswer"), tr("What the fire got"));
    m_answer->setWordWrap(true);
    m_fire->setDefault(true);
    auto *intro = new QLabel(
        tr("Fires this payload at <b>%1</b> again. Edit it first if you like; the new event "
           "shows up in the monitor like any other.")
            .arg(trigger.toString().toHtmlEscaped()),
        this);
    intro->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->setObjectName(QStringLiteral("replayButtons"));
    buttons->addButton(m_fire, QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_fire, &QPushButton::clicked, this, &ReplayDialog::fire);
    connect(m_payload, &JsonField::validityChanged, m_fire, &QPushButton::setEnabled);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_payload, 1);
    layout->addWidget(m_answer);
    layout->addWidget(buttons);
    resize(560, 420);
}

void ReplayDialog::fire()
{
    if (!m_payload->isValid())
        return;
    m_fire->setEnabled(false);
    m_answer->setText(tr("Firing…"));
    m_client->fire(m_trigger, m_payload->object(), this, [this](Result<QString> result) {
        m_fire->setEnabled(true);
        if (!result) {
            m_answer->setText(QStringLiteral("<span style=\"color:%1\">%2</span>")
                                  .arg(Theme::color(Theme::Role::Error, this).name(),
                                       result.error().message.toHtmlEscaped()));
            return;
        }
        if (result->isEmpty()) {
            m_answer->setText(tr("Answered 204: no active rule on %1, so nothing ran.")
                                  .arg(m_trigger.name.toHtmlEscaped()));
            return;
        }
        m_answer->setText(tr("Fired: trigger activation %1.").arg(result->toHtmlEscaped()));
        Q_EMIT replayed(*result);
    });
}

} // namespace Feedscope::Ui
