// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QWidget>

namespace Feedscope::Ui {

// Gives a control the object name tests and automation find it by and the name a screen reader
// speaks (STYLE.md 27), in one call so neither is forgotten.
inline void nameControl(QWidget *widget, const QString &objectName, const QString &spokenName)
{
    widget->setObjectName(objectName);
    widget->setAccessibleName(spokenName);
}

} // namespace Feedscope::Ui
